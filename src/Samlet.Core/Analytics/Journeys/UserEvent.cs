namespace Samlet.Analytics.Journeys;

/// <summary>One thing a user did, the input of funnels and cohort retention.</summary>
public sealed record UserEvent(string UserId, string EventName, DateTimeOffset Timestamp);
