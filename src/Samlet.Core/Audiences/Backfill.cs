namespace Samlet.Audiences;

/// <summary>
/// Re-derivation of every profile of a workspace after its definitions changed to <see cref="Version"/>: profiles are
/// done in id order; <see cref="Cursor"/> is the last one done (null: none yet). <see cref="Total"/> is the number of
/// profiles when it started; <see cref="FinishedAt"/> is set when no profile is left.
/// </summary>
public sealed record Backfill(string WorkspaceId, long Version, string? Cursor, long Done, long Total, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt);
