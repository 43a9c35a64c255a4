namespace Samlet.Analytics.Rfm;

/// <summary>Bins per dimension and segment rules; the defaults reproduce the R package rfm 0.3.0.</summary>
public sealed record RfmOptions
{
    public RfmBins RecencyBins { get; init; } = RfmBins.Quantiles(5);

    public RfmBins FrequencyBins { get; init; } = RfmBins.Quantiles(5);

    public RfmBins MonetaryBins { get; init; } = RfmBins.Quantiles(5);

    public IReadOnlyList<RfmSegmentRule> Segments { get; init; } = RfmSegmentRule.Defaults;

    /// <summary>Segment of a customer no rule matches.</summary>
    public string OtherSegment { get; init; } = "Others";
}
