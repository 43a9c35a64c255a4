namespace Samlet.Sources;

/// <summary>A tenant: its sources, keys and (later) profiles belong to it.</summary>
public sealed record Workspace(string Id, string Name, DateTimeOffset CreatedAt);
