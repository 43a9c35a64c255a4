using System.Data;
using System.Runtime.CompilerServices;
using Npgsql;
using Samlet.Events;

namespace Samlet.Storage.Postgres;

/// <summary>
/// The analytics job's settings and runs (tables of <c>0004_analytics.sql</c>) and its scan of the timeline in
/// PostgreSQL, as <c>SqliteAnalyticsStore</c> keeps them. Reads and the idempotent writes are repeated once on a
/// connection the server dropped; creating a run is not (it might then be recorded twice).
/// </summary>
internal sealed class PostgresAnalyticsStore(NpgsqlDataSource dataSource) : IAnalyticsStore
{
    private const string RunColumns = "id, workspace_id, status, trigger, requested_at, started_at, finished_at, as_of, position, report, error, profiles_updated";

    // The list leaves the report out: it is the one large column (TOASTed, so not even read from disk).
    private const string ListColumns = "id, workspace_id, status, trigger, requested_at, started_at, finished_at, as_of, position, NULL, error, profiles_updated";

    private const string RunValues = "status = $2, trigger = $3, requested_at = $4, started_at = $5, finished_at = $6, as_of = $7, position = $8, report = $9, error = $10, profiles_updated = $11";

    public async Task<string?> GetSettingsAsync(string workspaceId, CancellationToken cancellationToken) =>
        (await dataSource.QueryAsync("SELECT json FROM analytics_settings WHERE workspace_id = $1", r => r.GetString(0), cancellationToken, workspaceId)).FirstOrDefault();

    public async Task PutSettingsAsync(string workspaceId, string json, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var put = Command("""
            INSERT INTO analytics_settings (workspace_id, json, updated_at) VALUES ($1, $2, $3)
            ON CONFLICT (workspace_id) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at
            """, workspaceId, json, at.UtcDateTime);
        await BrokenConnections.RetryOnceAsync(dataSource, () => put.ExecuteNonQueryAsync(cancellationToken));
    }

    public async Task<long> CreateRunAsync(AnalyticsRun run, CancellationToken cancellationToken)
    {
        await using var insert = Command("""
            INSERT INTO analytics_runs (workspace_id, status, trigger, requested_at, started_at, finished_at, as_of, position, report, error, profiles_updated)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            RETURNING id
            """, RunParameters(run));
        return (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<bool> UpdateRunAsync(AnalyticsRun run, CancellationToken cancellationToken)
    {
        await using var update = Command($"UPDATE analytics_runs SET {RunValues} WHERE workspace_id = $1 AND id = $12", [.. RunParameters(run), run.Id]);
        return await BrokenConnections.RetryOnceAsync(dataSource, () => update.ExecuteNonQueryAsync(cancellationToken)) == 1;
    }

    public async Task<AnalyticsRun?> GetRunAsync(string workspaceId, long id, CancellationToken cancellationToken) =>
        (await dataSource.QueryAsync($"SELECT {RunColumns} FROM analytics_runs WHERE workspace_id = $1 AND id = $2", ReadRun, cancellationToken, workspaceId, id)).FirstOrDefault();

    // No "before" is before every id: one range of the (workspace_id, id) index, read backwards.
    public async Task<IReadOnlyList<AnalyticsRun>> ListRunsAsync(string workspaceId, long? before, int limit, CancellationToken cancellationToken) =>
        await dataSource.QueryAsync($"SELECT {ListColumns} FROM analytics_runs WHERE workspace_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
            ReadRun, cancellationToken, workspaceId, before ?? long.MaxValue, limit);

    public async Task<AnalyticsRun?> GetLatestRunAsync(string workspaceId, AnalyticsRunStatus? status, CancellationToken cancellationToken) =>
        (status is { } wanted
            ? await dataSource.QueryAsync($"SELECT {RunColumns} FROM analytics_runs WHERE workspace_id = $1 AND status = $2 ORDER BY id DESC LIMIT 1",
                ReadRun, cancellationToken, workspaceId, wanted.ToWire())
            : await dataSource.QueryAsync($"SELECT {RunColumns} FROM analytics_runs WHERE workspace_id = $1 ORDER BY id DESC LIMIT 1",
                ReadRun, cancellationToken, workspaceId)).FirstOrDefault();

    // Joined on (seq, received_at), each partition's primary key; the planner is left to choose (a hash join and a sort
    // for a whole workspace). The payload is sent only where the CASE picks it, and the CASE sits in a subquery that
    // OFFSET 0 keeps from being flattened: otherwise every payload rode through the hash join to a CASE above it (1 M
    // events of 330 bytes: 4.1 s with 3 workers against 2.8 s with one). Rows stream: Npgsql reads them off the
    // socket as the caller asks, so a scan of millions of events holds one row at a time.
    public async IAsyncEnumerable<ProfileEvent> ScanProfileEventsAsync(ProfileEventScan scan, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (scan.SourceIds.Count == 0)
        {
            yield break;
        }

        // Only opening the reader is repeated on a dropped connection: once rows have been handed out, a retry would repeat them.
        var (command, reader) = await BrokenConnections.RetryOnceAsync(dataSource, () => ExecuteScanAsync(scan, cancellationToken));
        await using (command)
        await using (reader)
        {
            var finished = false;
            try
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    // ReadAsync hands out rows already buffered without looking at the token.
                    cancellationToken.ThrowIfCancellationRequested();
                    EventTypes.TryParse(reader.GetString(2), out var type);
                    yield return new ProfileEvent(
                        reader.GetString(0),
                        reader.GetInt64(1),
                        type,
                        reader.IsDBNull(3) ? null : reader.GetString(3),
                        PostgresProfileStore.Time(reader, 4),
                        reader.IsDBNull(5) ? ReadOnlyMemory<byte>.Empty : reader.GetFieldValue<byte[]>(5));
                }

                finished = true;
            }
            finally
            {
                if (!finished)
                {
                    // Left early (cancelled, or the caller stopped): closing the reader would read every remaining row
                    // off the socket (seconds for a million); cancelled, the server stops sending.
                    command.Cancel();
                }
            }
        }
    }

    /// <summary>
    /// A command on a connection of its own (a data source's commands cannot be cancelled); closing the reader
    /// returns the connection to the pool.
    /// </summary>
    private async Task<(NpgsqlCommand Command, NpgsqlDataReader Reader)> ExecuteScanAsync(ProfileEventScan scan, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var command = new NpgsqlCommand("""
            SELECT pe.profile_id, pe.seq, e.type, e.event, e.timestamp, e.payload
            FROM profile_events pe JOIN (
                SELECT seq, received_at, type, event, timestamp,
                    CASE WHEN (type = 'track' AND event = ANY($2)) OR type = ANY($3) THEN payload END AS payload
                FROM events WHERE source_id = ANY($1) OFFSET 0) e ON e.seq = pe.seq AND e.received_at = pe.received_at
            ORDER BY pe.profile_id, pe.seq
            """, connection);
        command.Parameters.Add(new() { Value = scan.SourceIds.ToArray() });
        command.Parameters.Add(new() { Value = scan.PayloadEvents.ToArray() });
        command.Parameters.Add(new() { Value = scan.PayloadTypes.Select(t => t.ToWire()).ToArray() });
        try
        {
            return (command, await command.ExecuteReaderAsync(CommandBehavior.CloseConnection, cancellationToken));
        }
        catch
        {
            await command.DisposeAsync();
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>$1 the workspace, then the columns in <see cref="RunValues"/> order.</summary>
    private static object[] RunParameters(AnalyticsRun run) =>
    [
        run.WorkspaceId, run.Status.ToWire(), run.Trigger, run.RequestedAt.UtcDateTime, Nullable(run.StartedAt?.UtcDateTime), Nullable(run.FinishedAt?.UtcDateTime),
        Nullable(run.AsOf?.UtcDateTime), Nullable(run.Position), Nullable(run.Report), Nullable(run.Error), run.ProfilesUpdated,
    ];

    private static object Nullable(object? value) => value ?? DBNull.Value;

    private static AnalyticsRun ReadRun(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        AnalyticsRunStatuses.Parse(reader.GetString(2)),
        reader.GetString(3),
        PostgresProfileStore.Time(reader, 4),
        PostgresProfileStore.NullableTime(reader, 5),
        PostgresProfileStore.NullableTime(reader, 6),
        PostgresProfileStore.NullableTime(reader, 7),
        reader.IsDBNull(8) ? null : reader.GetInt64(8),
        reader.IsDBNull(9) ? null : reader.GetString(9),
        reader.IsDBNull(10) ? null : reader.GetString(10),
        reader.GetInt32(11));

    private NpgsqlCommand Command(string sql, params object[] parameters)
    {
        var command = dataSource.CreateCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new() { Value = value });
        }

        return command;
    }
}
