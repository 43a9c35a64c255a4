namespace Samlet.Audiences;

/// <summary>Whether a profile is in an audience, and the earliest time the answer may change with nothing else happening (a rolling date window), if any.</summary>
public readonly record struct Verdict(bool IsMember, DateTimeOffset? RecheckAt);
