namespace Samlet.Sources;

/// <summary>
/// A tenant: its sources, keys and profiles belong to it. <see cref="Partition"/>: the pipeline partition its events go
/// to, assigned by the store when the workspace is created (round robin) and never changed.
/// </summary>
public sealed record Workspace(string Id, string Name, DateTimeOffset CreatedAt)
{
    public int Partition { get; init; }
}
