namespace Samlet.Analytics.Attribution;

/// <summary>The first-order Markov model's outcome.</summary>
/// <param name="ConversionProbability">Probability that a journey from the start state is absorbed in conversion.</param>
/// <param name="ExpectedValue">Expected conversion value of one journey from the start state.</param>
/// <param name="Channels">Per channel, ordinally by name.</param>
/// <param name="Transitions">The estimated transition probabilities, those above zero only.</param>
public sealed record MarkovAttributionResult(
    double ConversionProbability,
    double ExpectedValue,
    IReadOnlyList<MarkovChannelResult> Channels,
    IReadOnlyList<MarkovTransition> Transitions);
