namespace Samlet.Analytics.Attribution;

/// <summary>Every model's attribution over one set of paths.</summary>
/// <param name="PathCount">Paths read.</param>
/// <param name="TotalConversions">Summed conversions: what every model attributes.</param>
/// <param name="TotalConversionValue">Summed conversion value: what every model attributes.</param>
/// <param name="TotalNulls">Summed journeys that did not convert.</param>
/// <param name="Channels">Channels ordinally by name, including <see cref="AttributionAnalysis.UnknownChannel"/> when a path had a blank channel.</param>
/// <param name="Credits">Per model, one credit per channel in the order of <paramref name="Channels"/>. Markov credits are included.</param>
/// <param name="Markov">The Markov model's removal effects and conversion probability.</param>
public sealed record AttributionReport(
    int PathCount,
    double TotalConversions,
    double TotalConversionValue,
    double TotalNulls,
    IReadOnlyList<string> Channels,
    IReadOnlyDictionary<AttributionModel, IReadOnlyList<ChannelCredit>> Credits,
    MarkovAttributionResult Markov);
