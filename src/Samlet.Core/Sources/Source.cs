namespace Samlet.Sources;

/// <summary>A place events come from (a website, an app, a server); SDKs authenticate with its write key, stored only as a hash.</summary>
public sealed record Source(string Id, string WorkspaceId, string Name, string WriteKeyHash, bool Enabled, DateTimeOffset CreatedAt);
