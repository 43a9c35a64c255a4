using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Npgsql;
using NpgsqlTypes;
using Samlet.Events;

namespace Samlet.Storage.Postgres;

/// <summary>
/// The write half of the event log: one transaction per append. Small appends (a group commit of HTTP requests) send
/// their events as arrays in one statement; large ones (imports, 10,000 at a time) COPY them in binary into a temporary
/// table first. Either way one statement then claims the new (source, messageId) pairs in <c>event_message_ids</c> and
/// inserts only the events whose pair was new, in append order, under the append lock (ADR 6).
/// </summary>
internal sealed class EventAppender(NpgsqlDataSource dataSource, EventPartitions partitions)
{
    /// <summary>From this many events, COPY beats array parameters (measured: bench/README.md).</summary>
    internal const int CopyThreshold = 1_000;

    private const string Columns = "timestamp, received_at, source_id, message_id, type, event, user_id, anonymous_id, payload";

    // Only new events reach the events table: a re-import or an SDK retry brings only duplicates.
    private const string InsertNew = $"""
        fresh AS (
            INSERT INTO event_message_ids (source_id, message_id, received_at)
            SELECT source_id, message_id, received_at FROM event_input
            ON CONFLICT DO NOTHING
            RETURNING source_id, message_id)
        INSERT INTO events ({Columns})
        SELECT timestamp, received_at, source_id, message_id, type, event, user_id, anonymous_id, payload
        FROM event_input JOIN fresh USING (source_id, message_id)
        ORDER BY event_input.ord
        """;

    private const string InsertFromArrays = $"""
        WITH event_input AS MATERIALIZED (
            SELECT * FROM unnest($1::timestamptz[], $2::timestamptz[], $3::text[] COLLATE "C", $4::text[] COLLATE "C", $5::text[], $6::text[], $7::text[], $8::text[], $9::bytea[])
                WITH ORDINALITY AS u ({Columns}, ord)),
        {InsertNew}
        """;

    private const string InsertFromCopy = "WITH " + InsertNew;

    private static readonly string _lock = $"SELECT pg_advisory_xact_lock({AdvisoryLocks.Append})";

    public async Task<AppendResult> AppendAsync(IReadOnlyList<CollectedEvent> events, IReadOnlyList<RejectedEvent> rejected, CancellationToken cancellationToken)
    {
        var unique = FirstOfEachMessageId(events);
        var appended = events.Count;
        var nul = unique.Where(e => HoldsNulEscape(e.Payload.Span)).ToList();
        if (nul.Count > 0)
        {
            rejected = [.. rejected, .. nul.Select(e => new RejectedEvent(e.SourceId, e.ReceivedAt, NulReason, e.Payload.ToArray()))];
            unique.RemoveAll(nul.Contains);
            appended -= nul.Count;
        }

        var committing = new StrongBox<bool>();
        try
        {
            return await AttemptAsync(appended, unique, rejected, committing, cancellationToken);
        }
        catch (NpgsqlException e) when (!committing.Value && BrokenConnections.IsBroken(e))
        {
            // COMMIT was not sent, so nothing of this append is stored: run it once more on a fresh connection.
            dataSource.Clear();
            return await AttemptAsync(appended, unique, rejected, committing, cancellationToken);
        }
    }

    private async Task<AppendResult> AttemptAsync(int appended, List<CollectedEvent> unique, IReadOnlyList<RejectedEvent> rejected, StrongBox<bool> committing, CancellationToken cancellationToken)
    {
        await partitions.EnsureAsync(unique.Select(e => e.ReceivedAt), cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var stored = unique.Count >= CopyThreshold
                ? await InsertByCopyAsync(connection, unique, cancellationToken)
                : await InsertByArraysAsync(connection, unique, takeLock: true, cancellationToken);
            await InsertRejectedAsync(connection, rejected, cancellationToken);
            committing.Value = true;
            await transaction.CommitAsync(cancellationToken);
            return new AppendResult(stored, appended - stored, rejected.Count);
        }
        catch (PostgresException e) when (IsUnstorableValue(e))
        {
            // One event PostgreSQL cannot store (a U+0000 in text, an over-long messageId...) must not fail
            // the whole group commit (every request in it would get 503 and retry forever): set those events aside.
            return await AppendIsolatingAsync(connection, appended, unique, rejected, committing, cancellationToken);
        }
    }

    private const string NulReason = "PostgreSQL cannot store this event: its JSON holds the character U+0000 (\\u0000), which PostgreSQL's text and jsonb (traits, identifiers) cannot hold";

    /// <summary>
    /// Whether the JSON holds a \u0000 escape (not an escaped backslash followed by "u0000"): the payload column would
    /// take it, but its traits could never reach a profile's jsonb, so it is refused here, as jsonb refused it before.
    /// </summary>
    // A Tracking API payload is an array of its own: passed as it is. An import's is a slice of a shared block: copied.
    private static byte[] WholeArray(ReadOnlyMemory<byte> payload) =>
        MemoryMarshal.TryGetArray(payload, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length ? segment.Array : payload.ToArray();

    internal static bool HoldsNulEscape(ReadOnlySpan<byte> json)
    {
        var at = 0;
        while (json[at..].IndexOf("\\u0000"u8) is var found and >= 0)
        {
            var start = at + found;
            var backslashes = 0;
            while (start - backslashes - 1 >= 0 && json[start - backslashes - 1] == (byte)'\\')
            {
                backslashes++;
            }

            if (backslashes % 2 == 0)
            {
                return true;
            }

            at = start + 6;
        }

        return false;
    }

    /// <summary>An SDK may send the same messageId twice in one batch: the first one counts, as if appended in turn.</summary>
    private static List<CollectedEvent> FirstOfEachMessageId(IReadOnlyList<CollectedEvent> events)
    {
        var seen = new HashSet<(string, string)>(events.Count);
        var unique = new List<CollectedEvent>(events.Count);
        foreach (var e in events)
        {
            if (seen.Add((e.SourceId, e.MessageId)))
            {
                unique.Add(e);
            }
        }

        return unique;
    }

    /// <summary>
    /// Adds an append of <paramref name="events"/> to a batch of another transaction (the pipeline's events, committed
    /// with its change set): the append lock, then the array insert, which skips a (source, messageId) already logged.
    /// The lock is held until that transaction commits, so it is best added last. The months' partitions must exist.
    /// </summary>
    internal static void AddAppend(NpgsqlBatch batch, IReadOnlyList<CollectedEvent> events)
    {
        var unique = FirstOfEachMessageId(events);
        if (unique.Count == 0)
        {
            return;
        }

        batch.BatchCommands.Add(new(_lock));
        batch.BatchCommands.Add(InsertFromArraysCommand(unique));
    }

    private static NpgsqlBatchCommand InsertFromArraysCommand(IReadOnlyList<CollectedEvent> events)
    {
        var insert = new NpgsqlBatchCommand(InsertFromArrays);
        insert.Parameters.Add(new() { Value = events.Select(e => e.Timestamp.UtcDateTime).ToArray() });
        insert.Parameters.Add(new() { Value = events.Select(e => e.ReceivedAt.UtcDateTime).ToArray() });
        insert.Parameters.Add(new() { Value = events.Select(e => e.SourceId).ToArray() });
        insert.Parameters.Add(new() { Value = events.Select(e => e.MessageId).ToArray() });
        insert.Parameters.Add(new() { Value = events.Select(e => e.Type.ToWire()).ToArray() });
        insert.Parameters.Add(new() { Value = events.Select(e => e.EventName).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        insert.Parameters.Add(new() { Value = events.Select(e => e.UserId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        insert.Parameters.Add(new() { Value = events.Select(e => e.AnonymousId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        insert.Parameters.Add(new() { Value = events.Select(e => WholeArray(e.Payload)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        return insert;
    }

    private static async Task<int> InsertByArraysAsync(NpgsqlConnection connection, IReadOnlyList<CollectedEvent> events, bool takeLock, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return 0;
        }

        await using var batch = new NpgsqlBatch(connection);
        if (takeLock)
        {
            batch.BatchCommands.Add(new(_lock));
        }

        var insert = InsertFromArraysCommand(events);
        batch.BatchCommands.Add(insert);
        // Prepared, the statements are parsed and planned once per pooled connection (Npgsql keeps them across pool
        // returns; a round trip the first time only): unprepared, parsing and planning the insert took 0.55 ms (p50) of
        // a ~210-event group's ~4.5 ms, prepared its bind takes 0.2 ms (server log; bench/README.md).
        await batch.PrepareAsync(cancellationToken);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return insert.RecordsAffected;
    }

    private static async Task<int> InsertByCopyAsync(NpgsqlConnection connection, IReadOnlyList<CollectedEvent> events, CancellationToken cancellationToken)
    {
        // work_mem: the join and the sort by ord hold ~15 MB for 10,000 events; the default 4 MB spills them to disk.
        await using (var create = new NpgsqlCommand("""
            SET LOCAL work_mem = '64MB';
            CREATE TEMP TABLE event_input (
                timestamp timestamptz, received_at timestamptz, source_id text COLLATE "C", message_id text COLLATE "C",
                type text, event text, user_id text, anonymous_id text, payload bytea, ord integer
            ) ON COMMIT DROP
            """, connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync($"COPY event_input ({Columns}, ord) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(e.Timestamp.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(e.ReceivedAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(e.SourceId, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(e.MessageId, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(e.Type.ToWire(), NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, e.EventName, cancellationToken);
                await WriteNullableAsync(copy, e.UserId, cancellationToken);
                await WriteNullableAsync(copy, e.AnonymousId, cancellationToken);
                await copy.WriteAsync(e.Payload, NpgsqlDbType.Bytea, cancellationToken);
                await copy.WriteAsync(i, NpgsqlDbType.Integer, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new(_lock));
        var insert = new NpgsqlBatchCommand(InsertFromCopy);
        batch.BatchCommands.Add(insert);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return insert.RecordsAffected;
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    private static async Task InsertRejectedAsync(NpgsqlConnection connection, IReadOnlyList<RejectedEvent> rejected, CancellationToken cancellationToken)
    {
        if (rejected.Count == 0)
        {
            return;
        }

        await using var insert = new NpgsqlCommand("""
            INSERT INTO rejected_events (received_at, source_id, reason, payload)
            SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::bytea[])
            """, connection);
        insert.Parameters.Add(new() { Value = rejected.Select(r => r.ReceivedAt.UtcDateTime).ToArray() });
        insert.Parameters.Add(new() { Value = rejected.Select(r => r.SourceId).ToArray() });
        // text cannot hold U+0000; a reason may quote the bad input.
        insert.Parameters.Add(new() { Value = rejected.Select(r => r.Reason.Replace('\0', '\uFFFD')).ToArray() });
        insert.Parameters.Add(new() { Value = rejected.Select(r => r.Payload).ToArray() });
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The slow path after a value PostgreSQL refuses: halves the events under savepoints until every refused event
    /// is found, and stores those as rejected events with PostgreSQL's reason, in the same transaction.
    /// </summary>
    private static async Task<AppendResult> AppendIsolatingAsync(NpgsqlConnection connection, int appended, List<CollectedEvent> unique, IReadOnlyList<RejectedEvent> rejected, StrongBox<bool> committing, CancellationToken cancellationToken)
    {
        var refused = new List<RejectedEvent>();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(_lock, connection))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var stored = await InsertOrIsolateAsync(connection, transaction, unique, refused, cancellationToken);
        await InsertRejectedAsync(connection, [.. rejected, .. refused], cancellationToken);
        committing.Value = true;
        await transaction.CommitAsync(cancellationToken);
        return new AppendResult(stored, appended - stored - refused.Count, rejected.Count + refused.Count);
    }

    private static async Task<int> InsertOrIsolateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<CollectedEvent> events, List<RejectedEvent> refused, CancellationToken cancellationToken)
    {
        await transaction.SaveAsync("isolate", cancellationToken);
        try
        {
            var stored = await InsertByArraysAsync(connection, events, takeLock: false, cancellationToken);
            await transaction.ReleaseAsync("isolate", cancellationToken);
            return stored;
        }
        catch (PostgresException e) when (IsUnstorableValue(e))
        {
            await transaction.RollbackAsync("isolate", cancellationToken);
            if (events.Count == 1)
            {
                var bad = events[0];
                refused.Add(new RejectedEvent(bad.SourceId, bad.ReceivedAt, $"PostgreSQL cannot store this event: {e.MessageText}", bad.Payload.ToArray()));
                return 0;
            }

            var half = events.Count / 2;
            return await InsertOrIsolateAsync(connection, transaction, events[..half], refused, cancellationToken)
                + await InsertOrIsolateAsync(connection, transaction, events[half..], refused, cancellationToken);
        }
    }

    /// <summary>Class 22 (data exception: U+0000 in text) or 54000 (e.g. a key too long for its index).</summary>
    private static bool IsUnstorableValue(PostgresException e) =>
        e.SqlState.StartsWith("22", StringComparison.Ordinal) || e.SqlState == PostgresErrorCodes.ProgramLimitExceeded;
}
