namespace Samlet.Analytics.Rfm;

/// <summary>The bins of one dimension: bin i is [Lower[i], Upper[i]).</summary>
public sealed record RfmBinEdges(IReadOnlyList<double> Lower, IReadOnlyList<double> Upper);
