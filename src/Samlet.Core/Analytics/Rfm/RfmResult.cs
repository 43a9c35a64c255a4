namespace Samlet.Analytics.Rfm;

/// <summary>Customers ordered by id, and the bins used to score them.</summary>
public sealed record RfmResult(
    DateOnly AsOf,
    IReadOnlyList<RfmCustomer> Customers,
    RfmBinEdges Recency,
    RfmBinEdges Frequency,
    RfmBinEdges Monetary);
