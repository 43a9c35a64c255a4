namespace Samlet.Analytics.Journeys;

/// <summary>A funnel's steps and the furthest step each user reached (0 when the user never did step 1).</summary>
public sealed record FunnelResult(TimeSpan Window, IReadOnlyList<FunnelStep> Steps, IReadOnlyDictionary<string, int> StepReachedByUser);
