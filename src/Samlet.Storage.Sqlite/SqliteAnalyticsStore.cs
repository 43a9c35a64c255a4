using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using Samlet.Events;

namespace Samlet.Storage.Sqlite;

/// <summary>The analytics job's settings and runs (tables of <c>0004_analytics.sql</c>) and its scan of the timeline in SQLite.</summary>
internal sealed class SqliteAnalyticsStore(SqliteCdpStore store) : IAnalyticsStore
{
    private const string RunColumns = "id, workspace_id, status, trigger, requested_at, started_at, finished_at, as_of, position, report, error, profiles_updated";

    // The list leaves the report out: it is the one large column, and SQLite then never reads its overflow pages.
    private const string ListColumns = "id, workspace_id, status, trigger, requested_at, started_at, finished_at, as_of, position, NULL, error, profiles_updated";

    public async Task<string?> GetSettingsAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, "SELECT json FROM analytics_settings WHERE workspace_id = $w", ("$w", workspaceId));
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public Task PutSettingsAsync(string workspaceId, string json, DateTimeOffset at, CancellationToken cancellationToken) =>
        store.WriteAsync(async connection =>
        {
            await using var put = Command(connection, """
                INSERT INTO analytics_settings (workspace_id, json, updated_at) VALUES ($w, $json, $at)
                ON CONFLICT (workspace_id) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at
                """, ("$w", workspaceId), ("$json", json), ("$at", at.ToUnixTimeMilliseconds()));
            await put.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<long> CreateRunAsync(AnalyticsRun run, CancellationToken cancellationToken) =>
        store.WriteAsync(async connection =>
        {
            await using var insert = Command(connection, """
                INSERT INTO analytics_runs (workspace_id, status, trigger, requested_at, started_at, finished_at, as_of, position, report, error, profiles_updated)
                VALUES ($w, $status, $trigger, $requested, $started, $finished, $asOf, $position, $report, $error, $profiles)
                RETURNING id
                """, RunParameters(run));
            return (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);

    public Task<bool> UpdateRunAsync(AnalyticsRun run, CancellationToken cancellationToken) =>
        store.WriteAsync(async connection =>
        {
            await using var update = Command(connection, """
                UPDATE analytics_runs SET status = $status, trigger = $trigger, requested_at = $requested, started_at = $started, finished_at = $finished,
                    as_of = $asOf, position = $position, report = $report, error = $error, profiles_updated = $profiles
                WHERE workspace_id = $w AND id = $id
                """, [.. RunParameters(run), ("$id", run.Id)]);
            return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public async Task<AnalyticsRun?> GetRunAsync(string workspaceId, long id, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {RunColumns} FROM analytics_runs WHERE workspace_id = $w AND id = $id", ("$w", workspaceId), ("$id", id));
        return (await ReadRunsAsync(command, cancellationToken)).FirstOrDefault();
    }

    // No "before" is before every id: one range of the (workspace_id, id) index, read backwards.
    public async Task<IReadOnlyList<AnalyticsRun>> ListRunsAsync(string workspaceId, long? before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {ListColumns} FROM analytics_runs WHERE workspace_id = $w AND id < $before ORDER BY id DESC LIMIT $limit",
            ("$w", workspaceId), ("$before", before ?? long.MaxValue), ("$limit", limit));
        return await ReadRunsAsync(command, cancellationToken);
    }

    public async Task<AnalyticsRun?> GetLatestRunAsync(string workspaceId, AnalyticsRunStatus? status, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = status is { } wanted
            ? Command(connection, $"SELECT {RunColumns} FROM analytics_runs WHERE workspace_id = $w AND status = $status ORDER BY id DESC LIMIT 1",
                ("$w", workspaceId), ("$status", wanted.ToWire()))
            : Command(connection, $"SELECT {RunColumns} FROM analytics_runs WHERE workspace_id = $w ORDER BY id DESC LIMIT 1", ("$w", workspaceId));
        return (await ReadRunsAsync(command, cancellationToken)).FirstOrDefault();
    }

    // The timeline's primary key order is the grouping by profile: the plan scans profile_timeline once, expands each
    // chunk and looks each event up by its rowid (seq), with no sort (a profile's events are put in log order below).
    // CROSS JOIN fixes that order, so statistics can never make SQLite start at events by their source index (then a
    // temporary index on seq and a sort). The payload is read only where the CASE picks it, so other events' overflow
    // pages stay on disk. The reader holds one read transaction throughout: a consistent snapshot (the WAL is not
    // checkpointed past it until the scan ends).
    public async IAsyncEnumerable<ProfileEvent> ScanProfileEventsAsync(ProfileEventScan scan, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (scan.SourceIds.Count == 0)
        {
            yield break;
        }

        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = ScanSql(command, scan);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        // One profile's events at a time: its chunks come in key order, and only chunks that a merge made overlap
        // need sorting (cheaper here than SQLite sorting every profile's events).
        var profile = new List<ProfileEvent>();
        var sorted = true;
        while (await reader.ReadAsync(cancellationToken))
        {
            EventTypes.TryParse(reader.GetString(2), out var type);
            var e = new ProfileEvent(
                reader.GetString(0),
                reader.GetInt64(1),
                type,
                reader.IsDBNull(3) ? null : reader.GetString(3),
                Time(reader.GetInt64(4)),
                reader.IsDBNull(5) ? ReadOnlyMemory<byte>.Empty : (byte[])reader[5]);
            if (profile.Count > 0 && !string.Equals(profile[0].ProfileId, e.ProfileId, StringComparison.Ordinal))
            {
                foreach (var done in InLogOrder(profile, sorted))
                {
                    cancellationToken.ThrowIfCancellationRequested(); // a profile's events are yielded from memory
                    yield return done;
                }

                profile.Clear();
                sorted = true;
            }

            sorted &= profile.Count == 0 || profile[^1].Sequence < e.Sequence;
            profile.Add(e);
        }

        foreach (var done in InLogOrder(profile, sorted))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return done;
        }
    }

    private static List<ProfileEvent> InLogOrder(List<ProfileEvent> events, bool sorted)
    {
        if (!sorted)
        {
            events.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        }

        return events;
    }

    internal static string ScanSql(SqliteCommand command, ProfileEventScan scan)
    {
        var sources = Parameters(command, "$s", scan.SourceIds);
        var events = Parameters(command, "$e", scan.PayloadEvents);
        var types = Parameters(command, "$t", scan.PayloadTypes.Select(t => t.ToWire()));
        return $"""
            SELECT t.profile_id, j.value, e.type, e.event, e.timestamp,
                CASE WHEN (e.type = 'track' AND e.event IN ({events})) OR e.type IN ({types}) THEN e.payload END
            FROM profile_timeline t CROSS JOIN json_each(t.seqs) j CROSS JOIN events e ON e.seq = j.value
            WHERE e.source_id IN ({sources})
            ORDER BY t.profile_id
            """;
    }

    /// <summary>One parameter per value (named <paramref name="prefix"/>0, 1…); an empty list is NULL, which no IN matches.</summary>
    private static string Parameters(SqliteCommand command, string prefix, IEnumerable<string> values)
    {
        var names = new StringBuilder();
        foreach (var value in values)
        {
            var name = prefix + command.Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            command.Parameters.AddWithValue(name, value);
            names.Append(names.Length == 0 ? "" : ", ").Append(name);
        }

        return names.Length == 0 ? "NULL" : names.ToString();
    }

    private static (string Name, object? Value)[] RunParameters(AnalyticsRun run) =>
    [
        ("$w", run.WorkspaceId), ("$status", run.Status.ToWire()), ("$trigger", run.Trigger), ("$requested", run.RequestedAt.ToUnixTimeMilliseconds()),
        ("$started", run.StartedAt?.ToUnixTimeMilliseconds()), ("$finished", run.FinishedAt?.ToUnixTimeMilliseconds()), ("$asOf", run.AsOf?.ToUnixTimeMilliseconds()),
        ("$position", run.Position), ("$report", run.Report), ("$error", run.Error), ("$profiles", run.ProfilesUpdated),
    ];

    private static async Task<List<AnalyticsRun>> ReadRunsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var runs = new List<AnalyticsRun>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(new AnalyticsRun(
                reader.GetInt64(0),
                reader.GetString(1),
                AnalyticsRunStatuses.Parse(reader.GetString(2)),
                reader.GetString(3),
                Time(reader.GetInt64(4)),
                NullableTime(reader, 5),
                NullableTime(reader, 6),
                NullableTime(reader, 7),
                reader.IsDBNull(8) ? null : reader.GetInt64(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.GetInt32(11)));
        }

        return runs;
    }

    private static DateTimeOffset? NullableTime(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : Time(reader.GetInt64(ordinal));

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters) =>
        SqliteProfileStore.Command(connection, sql, parameters);

    private static DateTimeOffset Time(long milliseconds) => SqliteProfileStore.Time(milliseconds);
}
