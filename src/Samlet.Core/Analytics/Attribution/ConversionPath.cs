namespace Samlet.Analytics.Attribution;

/// <summary>
/// One journey shape (channels in touch order) with how many journeys of that shape converted, their conversion
/// value, and how many did not convert (<paramref name="Nulls"/>), as in ChannelAttribution's path data.
/// Counts may be fractional weights but must be finite and non-negative.
/// </summary>
/// <param name="Channels">Channels in touch order. Blank names stand for an unknown channel (see <see cref="AttributionAnalysis.UnknownChannel"/>).</param>
/// <param name="Conversions">Journeys of this shape that converted.</param>
/// <param name="ConversionValue">Summed value of those conversions.</param>
/// <param name="Nulls">Journeys of this shape that did not convert.</param>
public sealed record ConversionPath(IReadOnlyList<string> Channels, double Conversions, double ConversionValue = 0, double Nulls = 0)
{
    /// <summary>Optional time of each touch (same length as <see cref="Channels"/>), used by the time-decay model.</summary>
    public IReadOnlyList<DateTimeOffset>? TouchTimes { get; init; }

    /// <summary>Optional conversion time for time decay; the latest touch time when absent.</summary>
    public DateTimeOffset? ConvertedAt { get; init; }
}
