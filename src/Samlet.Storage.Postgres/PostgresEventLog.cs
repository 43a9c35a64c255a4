using System.Text;
using Npgsql;
using Samlet.Events;

namespace Samlet.Storage.Postgres;

/// <summary>
/// The event log in PostgreSQL: <c>events</c> partitioned by month of <c>received_at</c>, <c>seq</c> as log position,
/// de-duplication by <c>event_message_ids</c> (see <see cref="EventAppender"/>), payloads as the normalised JSON bytes (<c>bytea</c>).
/// </summary>
internal sealed class PostgresEventLog(NpgsqlDataSource dataSource, EventPartitions partitions) : IEventLog
{
    internal const string Columns = "seq, source_id, message_id, type, event, user_id, anonymous_id, timestamp, received_at, payload";
    private readonly EventAppender _appender = new(dataSource, partitions);

    public Task<AppendResult> AppendAsync(IReadOnlyList<CollectedEvent> events, IReadOnlyList<RejectedEvent> rejected, CancellationToken cancellationToken) =>
        _appender.AppendAsync(events, rejected, cancellationToken);

    /// <summary>
    /// Two: the next group is sent while the previous one commits and waits inside PostgreSQL for the append lock, so
    /// no round trip separates them. The lock serialises them (ADR 6); every id is claimed under it, so they cannot deadlock.
    /// </summary>
    public int ConcurrentAppends => 2;

    public async Task<IReadOnlyList<StoredEvent>> QueryAsync(EventQuery query, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand();
        var where = new StringBuilder("source_id = ANY($1)");
        command.Parameters.Add(new() { Value = query.SourceIds.ToArray() });
        void Filter(string column, string comparison, object? value)
        {
            if (value is not null)
            {
                command.Parameters.Add(new() { Value = value });
                where.Append(" AND ").Append(column).Append(' ').Append(comparison).Append(" $").Append(command.Parameters.Count);
            }
        }

        Filter("type", "=", query.Type?.ToWire());
        Filter("event", "=", query.EventName);
        Filter("user_id", "=", query.UserId);
        Filter("anonymous_id", "=", query.AnonymousId);
        Filter("timestamp", ">=", query.From?.UtcDateTime);
        Filter("timestamp", "<", query.To?.UtcDateTime);
        Filter("seq", "<", query.Before);
        command.Parameters.Add(new() { Value = query.Limit });
        command.CommandText = $"SELECT {Columns} FROM events WHERE {where} ORDER BY seq DESC LIMIT ${command.Parameters.Count}";
        return await BrokenConnections.RetryOnceAsync(dataSource, () => ReadEventsAsync(command, cancellationToken));
    }

    public async Task<IReadOnlyList<StoredEvent>> ReadAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM events WHERE seq > $1 ORDER BY seq LIMIT $2");
        command.Parameters.Add(new() { Value = afterSequence });
        command.Parameters.Add(new() { Value = limit });
        return await BrokenConnections.RetryOnceAsync(dataSource, () => ReadEventsAsync(command, cancellationToken));
    }

    public async Task<IReadOnlyList<StoredEvent>> ReadPartitionsAfterAsync(long afterSequence, long throughSequence, int limit, IReadOnlyCollection<int> partitions, CancellationToken cancellationToken)
    {
        // Rows of other partitions are filtered in PostgreSQL: their payloads never cross the wire.
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM events
            WHERE seq > $1 AND seq <= $2
              AND source_id IN (SELECT s.id FROM sources s JOIN workspaces w ON w.id = s.workspace_id WHERE w.pipeline_partition = ANY($4))
            ORDER BY seq LIMIT $3
            """);
        command.Parameters.Add(new() { Value = afterSequence });
        command.Parameters.Add(new() { Value = throughSequence });
        command.Parameters.Add(new() { Value = limit });
        command.Parameters.Add(new() { Value = partitions.ToArray() });
        return await BrokenConnections.RetryOnceAsync(dataSource, () => ReadEventsAsync(command, cancellationToken));
    }

    public async Task<IReadOnlyList<StoredRejectedEvent>> QueryRejectedAsync(RejectedQuery query, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand();
        command.Parameters.Add(new() { Value = query.SourceIds.ToArray() });
        command.Parameters.Add(new() { Value = query.Limit });
        var before = "";
        if (query.Before is { } id)
        {
            command.Parameters.Add(new() { Value = id });
            before = " AND id < $3";
        }

        command.CommandText = $"""
            SELECT id, source_id, received_at, reason, payload FROM rejected_events
            WHERE source_id = ANY($1){before} ORDER BY id DESC LIMIT $2
            """;
        return await BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            var results = new List<StoredRejectedEvent>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                results.Add(new StoredRejectedEvent(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    reader.GetFieldValue<DateTimeOffset>(2),
                    reader.GetString(3),
                    reader.GetFieldValue<byte[]>(4)));
            }

            return (IReadOnlyList<StoredRejectedEvent>)results;
        });
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM events");
        return await BrokenConnections.RetryOnceAsync(dataSource, async () => (long)(await command.ExecuteScalarAsync(cancellationToken))!);
    }

    public async Task<long> LastSequenceAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT COALESCE(max(seq), 0) FROM events");
        return await BrokenConnections.RetryOnceAsync(dataSource, async () => (long)(await command.ExecuteScalarAsync(cancellationToken))!);
    }

    internal static async Task<IReadOnlyList<StoredEvent>> ReadEventsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var results = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            EventTypes.TryParse(reader.GetString(3), out var type);
            results.Add(new StoredEvent(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                type,
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetFieldValue<DateTimeOffset>(8),
                reader.GetFieldValue<byte[]>(9)));
        }

        return results;
    }
}
