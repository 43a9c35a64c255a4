namespace Samlet.Audiences;

/// <summary>A profile in an audience since <see cref="EnteredAt"/> (processing time).</summary>
public sealed record AudienceMember(string WorkspaceId, string AudienceKey, string ProfileId, DateTimeOffset EnteredAt);
