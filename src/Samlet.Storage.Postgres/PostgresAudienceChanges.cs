using Npgsql;
using NpgsqlTypes;
using Samlet.Audiences;
using Samlet.Pipeline;

namespace Samlet.Storage.Postgres;

/// <summary>The audience parts of a change set, added to <see cref="PostgresChangeWriter"/>'s batch.</summary>
internal static class PostgresAudienceChanges
{
    /// <summary>
    /// The outcome of the entries and exits in list order, set-based: every membership with an exit in the list is
    /// deleted, then one whose last change is an entry is inserted (kept if already there) with the time of its first
    /// entry after its last exit — what applying them one by one gives.
    /// </summary>
    public static void AddMemberships(NpgsqlBatch batch, List<MembershipChange> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        var outcome = new Dictionary<(string WorkspaceId, string AudienceKey, string ProfileId), (bool Exited, DateTimeOffset? EnteredAt)>();
        foreach (var change in changes)
        {
            var key = (change.WorkspaceId, change.AudienceKey, change.ProfileId);
            var (exited, enteredAt) = outcome.GetValueOrDefault(key);
            outcome[key] = change.Entered ? (exited, enteredAt ?? change.At) : (true, null);
        }

        var exits = outcome.Where(o => o.Value.Exited).Select(o => o.Key).ToList();
        if (exits.Count > 0)
        {
            batch.BatchCommands.Add(PostgresChangeWriter.Command("""
                DELETE FROM audience_members m USING unnest($1::text[], $2::text[], $3::text[]) AS x (workspace_id, audience_key, profile_id)
                WHERE m.workspace_id = x.workspace_id AND m.audience_key = x.audience_key AND m.profile_id = x.profile_id
                """, exits.Select(k => k.WorkspaceId).ToArray(), exits.Select(k => k.AudienceKey).ToArray(), exits.Select(k => k.ProfileId).ToArray()));
        }

        var entries = outcome.Where(o => o.Value.EnteredAt is not null).ToList();
        if (entries.Count > 0)
        {
            batch.BatchCommands.Add(PostgresChangeWriter.Command("""
                INSERT INTO audience_members (workspace_id, audience_key, profile_id, entered_at)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
                ON CONFLICT (workspace_id, audience_key, profile_id) DO NOTHING
                """,
                entries.Select(e => e.Key.WorkspaceId).ToArray(),
                entries.Select(e => e.Key.AudienceKey).ToArray(),
                entries.Select(e => e.Key.ProfileId).ToArray(),
                entries.Select(e => e.Value.EnteredAt!.Value.UtcDateTime).ToArray()));
        }
    }

    /// <summary>Only the job of the current version moves it: a backfill restarted by a newer definition change wins.</summary>
    public static void AddBackfill(NpgsqlBatch batch, Backfill? backfill)
    {
        if (backfill is null)
        {
            return;
        }

        batch.BatchCommands.Add(PostgresChangeWriter.Command("UPDATE backfills SET cursor = $3, done = $4, finished_at = $5 WHERE workspace_id = $1 AND version = $2",
            backfill.WorkspaceId, backfill.Version, Nullable(backfill.Cursor, NpgsqlDbType.Text), backfill.Done, Nullable(backfill.FinishedAt?.UtcDateTime, NpgsqlDbType.TimestampTz)));
    }

    private static NpgsqlParameter Nullable(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };
}
