namespace Samlet.Sources;

/// <summary>A key for the admin, read and profile APIs, stored only as a hash.</summary>
public sealed record ApiKey(string Id, string WorkspaceId, string Name, string KeyHash, DateTimeOffset CreatedAt);
