namespace Samlet.Analytics.Rfm;

/// <summary>
/// How one RFM dimension is cut into scores: either <see cref="Quantiles"/> (inner edges are the type-7 quantiles
/// at k/n plus one, as in the R package rfm 0.3.0) or explicit inner <see cref="AtThresholds"/>. The outer edges are
/// always the minimum and the maximum plus one; every bin is half-open, [lower, upper).
/// </summary>
public sealed record RfmBins
{
    private RfmBins(int count, IReadOnlyList<double>? thresholds)
    {
        Count = count;
        Thresholds = thresholds;
    }

    /// <summary>Number of bins, hence the highest score.</summary>
    public int Count { get; }

    /// <summary>Inner edges given by the caller; null for quantile bins.</summary>
    public IReadOnlyList<double>? Thresholds { get; }

    public static RfmBins Quantiles(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        return new RfmBins(count, null);
    }

    public static RfmBins AtThresholds(params double[] thresholds)
    {
        ArgumentOutOfRangeException.ThrowIfZero(thresholds.Length);
        for (var i = 0; i < thresholds.Length; i++)
        {
            if (!double.IsFinite(thresholds[i]) || (i > 0 && thresholds[i] <= thresholds[i - 1]))
            {
                throw new ArgumentException("thresholds must be finite and strictly increasing", nameof(thresholds));
            }
        }

        return new RfmBins(thresholds.Length + 1, [.. thresholds]);
    }
}
