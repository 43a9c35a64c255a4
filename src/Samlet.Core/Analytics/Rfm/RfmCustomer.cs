namespace Samlet.Analytics.Rfm;

/// <summary>
/// One customer's RFM values as of the analysis date: days since the last order, number of orders, total revenue,
/// their scores (the most recent customers score highest on recency) and the segment.
/// </summary>
public sealed record RfmCustomer(
    string CustomerId,
    DateOnly LastOrder,
    int RecencyDays,
    int Frequency,
    double Monetary,
    int RecencyScore,
    int FrequencyScore,
    int MonetaryScore,
    string Segment)
{
    /// <summary>R × 100 + F × 10 + M, as the R package rfm reports it (e.g. 545).</summary>
    public int Score => (RecencyScore * 100) + (FrequencyScore * 10) + MonetaryScore;
}
