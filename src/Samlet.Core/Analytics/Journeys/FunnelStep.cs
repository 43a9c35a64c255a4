namespace Samlet.Analytics.Journeys;

/// <summary>How many users reached one funnel step. Rates with a zero denominator are 0, never NaN.</summary>
/// <param name="Step">1-based position in the funnel.</param>
/// <param name="EventName">The event that completes this step.</param>
/// <param name="Users">Users who completed this step (and so every step before it) in order within the window.</param>
/// <param name="ConversionFromStart">Users / users of step 1.</param>
/// <param name="ConversionFromPrevious">Users / users of the previous step (1 for step 1 when it has users).</param>
/// <param name="DroppedOff">Users of the previous step who did not reach this one (0 for step 1).</param>
/// <param name="DropOffRate">DroppedOff / users of the previous step.</param>
public sealed record FunnelStep(
    int Step,
    string EventName,
    int Users,
    double ConversionFromStart,
    double ConversionFromPrevious,
    int DroppedOff,
    double DropOffRate);
