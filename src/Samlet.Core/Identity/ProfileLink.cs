namespace Samlet.Identity;

/// <summary>A profile an event matched, and the identifier of the event that found it.</summary>
public sealed record ProfileLink(string ProfileId, DateTimeOffset CreatedAt, Identifier MatchedBy);
