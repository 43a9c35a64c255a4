using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Npgsql;
using NpgsqlTypes;
using Samlet.Events;

namespace Samlet.Storage.Postgres;

/// <summary>
/// The write half of the event log: one transaction per append, which claims its events' keys in <c>event_keys</c>,
/// then takes the append lock (ADR 6) and inserts the events whose (source, messageId) key was new, in append order
/// (ADR 16). Small appends (a group commit of HTTP requests) send their events as arrays in one round trip and claim
/// their keys with a plain insert, checking for duplicates only once one was met; large ones (imports, 10,000 at a
/// time) COPY them in binary into a temporary table first and always check.
/// </summary>
internal sealed class EventAppender(NpgsqlDataSource dataSource, EventPartitions partitions)
{
    /// <summary>
    /// From this many events (an import's or a copy's batch) the events go by COPY, which streams them where arrays hold
    /// them all in memory (import of 1.2 M events: peak 270 against 320–360 MB, 20.3–20.9 against 19.3–19.4 s). Below
    /// it COPY's temporary table costs more than it saves: 1,000 new events per append 47,500–53,100 events/s against
    /// 100,700–103,900 with arrays (bench/README.md, 2026-12-08).
    /// </summary>
    internal const int CopyThreshold = 10_000;

    private const string Columns = "timestamp, received_at, source_id, message_id, type, event, user_id, anonymous_id, payload";

    // Keys are claimed before the append lock, in key order (ADR 16, 2026-12-08): appends that repeat each other's ids
    // wait for each other's keys outside the lock, and never in a cycle, because every append claims in the same order
    // and one holding the lock waits for no key. The common case, every key new, claims them with a plain insert: a
    // duplicate fails it with a unique violation (after the other append's commit, when that one is in flight), and the
    // append runs again checked. Checked, the claim skips keys already there, and only events whose key this
    // transaction inserted (the row's xmin) are stored: no join back across the lock.
    private const string ClaimKeys = "INSERT INTO event_keys (key, received_at) SELECT * FROM unnest($1::uuid[], $2::timestamptz[]) ORDER BY 1";

    private const string ClaimNewKeys = ClaimKeys + " ON CONFLICT DO NOTHING";

    private const string ClaimNewKeysFromCopy = "INSERT INTO event_keys (key, received_at) SELECT key, received_at FROM event_input ORDER BY key ON CONFLICT DO NOTHING";

    private const string ClaimedHere = "EXISTS (SELECT FROM event_keys k WHERE k.key = i.key AND k.xmin = pg_current_xact_id()::xid)";

    private const string EventArrays = "unnest($1::timestamptz[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bytea[]";

    private const string InsertAllEvents = $"""
        INSERT INTO events ({Columns})
        SELECT {Columns} FROM {EventArrays}) WITH ORDINALITY AS i ({Columns}, ord)
        ORDER BY ord
        """;

    private const string InsertClaimedEvents = $"""
        INSERT INTO events ({Columns})
        SELECT {Columns} FROM {EventArrays}, $10::uuid[]) WITH ORDINALITY AS i ({Columns}, key, ord)
        WHERE {ClaimedHere}
        ORDER BY ord
        """;

    private const string InsertClaimedFromCopy = $"INSERT INTO events ({Columns}) SELECT {Columns} FROM event_input i WHERE {ClaimedHere} ORDER BY ord";

    /// <summary>Frees the keys of events claimed here but set aside as unstorable: a retry of one is rejected again, not dropped as a duplicate.</summary>
    private const string ReleaseKeys = "DELETE FROM event_keys k WHERE k.key = ANY($1) AND k.xmin = pg_current_xact_id()::xid";

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
            // COMMIT was not sent, so nothing of this append is stored, or it was an append in one round trip, which is
            // safe to repeat: run it once more on a fresh connection.
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
            if (unique.Count < CopyThreshold)
            {
                return await AppendInOneRoundTripAsync(connection, appended, unique, rejected, cancellationToken);
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var stored = await InsertByCopyAsync(connection, unique, cancellationToken);
            await InsertRejectedAsync(connection, rejected, cancellationToken);
            committing.Value = true;
            await transaction.CommitAsync(cancellationToken);
            return new AppendResult(stored, appended - stored, rejected.Count);
        }
        catch (PostgresException e) when (IsUnstorableValue(e))
        {
            // One event PostgreSQL cannot store (a U+0000 in text...) must not fail the whole group commit (every
            // request in it would get 503 and retry forever): set those events aside.
            return await AppendIsolatingAsync(connection, appended, unique, rejected, committing, cancellationToken);
        }
    }

    /// <summary>
    /// A group commit of Tracking API requests: the keys' claim, the lock, the insert and the rejected events as one
    /// batch without an explicit transaction, which PostgreSQL runs as one implicit transaction committed at its end.
    /// One round trip instead of two, and the append lock is not held while the answer travels to us and COMMIT back
    /// (~10 % more events/s, bench/README.md). Repeating it after a broken connection (<see cref="AppendAsync"/>) is safe even if
    /// it had committed: its events are then duplicates; its rejected events would be logged twice, as an SDK's retry
    /// of the same request logs them twice. Keys are claimed without checking (<see cref="ClaimKeys"/>) unless a
    /// duplicate was met in the last <see cref="AppendsCheckedAfterADuplicate"/> appends.
    /// </summary>
    private async Task<AppendResult> AppendInOneRoundTripAsync(NpgsqlConnection connection, int appended, List<CollectedEvent> unique, IReadOnlyList<RejectedEvent> rejected, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _appendsToCheck) <= 0)
        {
            try
            {
                return await RunOneRoundTripAsync(connection, appended, unique, rejected, allNew: true, cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.TableName == "event_keys")
            {
                // Duplicates come in runs (an SDK retrying requests whose answers were lost, a file imported again):
                // check the next appends first rather than failing each of them once.
                Volatile.Write(ref _appendsToCheck, AppendsCheckedAfterADuplicate);
            }
        }
        else
        {
            Interlocked.Decrement(ref _appendsToCheck);
        }

        return await RunOneRoundTripAsync(connection, appended, unique, rejected, allNew: false, cancellationToken);
    }

    private const int AppendsCheckedAfterADuplicate = 100;
    private int _appendsToCheck;

    private static async Task<AppendResult> RunOneRoundTripAsync(NpgsqlConnection connection, int appended, List<CollectedEvent> unique, IReadOnlyList<RejectedEvent> rejected, bool allNew, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        NpgsqlBatchCommand? insert = null;
        if (unique.Count > 0)
        {
            var keys = Keys(unique);
            batch.BatchCommands.Add(ClaimCommand(allNew ? ClaimKeys : ClaimNewKeys, keys, unique));
            batch.BatchCommands.Add(new(_lock));
            batch.BatchCommands.Add(insert = allNew ? EventArraysCommand(InsertAllEvents, unique) : InsertClaimedCommand(keys, unique));
        }

        if (rejected.Count > 0)
        {
            batch.BatchCommands.Add(InsertRejectedCommand(rejected));
        }

        if (batch.BatchCommands.Count == 0)
        {
            return new AppendResult(0, appended, 0);
        }

        // Prepared, the statements are parsed and planned once per pooled connection (Npgsql keeps them across pool
        // returns; a round trip the first time only): unprepared, parsing and planning the insert took 0.55 ms (p50) of
        // a ~210-event group's ~4.5 ms, prepared its bind takes 0.2 ms (server log; bench/README.md).
        await batch.PrepareAsync(cancellationToken);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        var stored = insert?.RecordsAffected ?? 0;
        return new AppendResult(stored, appended - stored, rejected.Count);
    }

    private const string NulReason = "PostgreSQL cannot store this event: its JSON holds the character U+0000 (\\u0000), which PostgreSQL's text and jsonb (traits, identifiers) cannot hold";

    // A Tracking API payload is an array of its own: passed as it is. An import's is a slice of a shared block: copied.
    private static byte[] WholeArray(ReadOnlyMemory<byte> payload) =>
        MemoryMarshal.TryGetArray(payload, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length ? segment.Array : payload.ToArray();

    /// <summary>
    /// Whether the JSON holds a \u0000 escape (not an escaped backslash followed by "u0000"): the payload column would
    /// take it, but its traits could never reach a profile's jsonb, so it is refused here, as jsonb refused it before.
    /// </summary>
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

    /// <summary>
    /// The de-duplication key of a (source, messageId): the first 16 bytes of SHA-256(source, newline, messageId) as a
    /// uuid, in the byte order of its text form, so <c>Migrations/0009_event_keys.sql</c> derives the same in SQL.
    /// 16 bytes instead of two text columns: ~20 % less of PostgreSQL's time per append (ADR 16).
    /// </summary>
    internal static Guid KeyOf(string sourceId, string messageId)
    {
        Span<byte> hash = stackalloc byte[32];
        LineHash.Sha256(hash, sourceId, messageId);
        return new Guid(hash[..16], bigEndian: true);
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
    /// with its change set): the keys' claim, the append lock, then the insert of the events whose (source, messageId)
    /// was new. The lock is held until that transaction commits, so it is best added last. The months' partitions must
    /// exist; the transaction must not be in a savepoint (its rows' xmin would not be the transaction's).
    /// </summary>
    internal static void AddAppend(NpgsqlBatch batch, IReadOnlyList<CollectedEvent> events)
    {
        var unique = FirstOfEachMessageId(events);
        if (unique.Count == 0)
        {
            return;
        }

        var keys = Keys(unique);
        batch.BatchCommands.Add(ClaimCommand(ClaimNewKeys, keys, unique));
        batch.BatchCommands.Add(new(_lock));
        batch.BatchCommands.Add(InsertClaimedCommand(keys, unique));
    }

    private static Guid[] Keys(IReadOnlyList<CollectedEvent> events) => [.. events.Select(e => KeyOf(e.SourceId, e.MessageId))];

    private static NpgsqlBatchCommand ClaimCommand(string sql, Guid[] keys, IReadOnlyList<CollectedEvent> events) => new(sql)
    {
        Parameters = { new() { Value = keys }, new() { Value = events.Select(e => e.ReceivedAt.UtcDateTime).ToArray() } },
    };

    private static NpgsqlBatchCommand InsertClaimedCommand(Guid[] keys, IReadOnlyList<CollectedEvent> events)
    {
        var insert = EventArraysCommand(InsertClaimedEvents, events);
        insert.Parameters.Add(new() { Value = keys });
        return insert;
    }

    /// <summary><paramref name="sql"/> with the events' columns as the parameters $1–$9.</summary>
    private static NpgsqlBatchCommand EventArraysCommand(string sql, IReadOnlyList<CollectedEvent> events)
    {
        var insert = new NpgsqlBatchCommand(sql);
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

    private static async Task<int> InsertClaimedAsync(NpgsqlConnection connection, IReadOnlyList<CollectedEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return 0;
        }

        await using var batch = new NpgsqlBatch(connection);
        var insert = InsertClaimedCommand(Keys(events), events);
        batch.BatchCommands.Add(insert);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return insert.RecordsAffected;
    }

    private static async Task<int> InsertByCopyAsync(NpgsqlConnection connection, IReadOnlyList<CollectedEvent> events, CancellationToken cancellationToken)
    {
        // work_mem: the join and the sort by ord hold ~15 MB for 10,000 events; the default 4 MB spills them to disk.
        // jit: the temporary table has no statistics, so the planner expects millions of rows from the join and compiled
        // the statement each time (~150 ms of a 10,000-event append; a 1.2 M-event import took 38 s instead of 23 s).
        await using (var create = new NpgsqlCommand("""
            SET LOCAL work_mem = '64MB';
            SET LOCAL jit = off;
            CREATE TEMP TABLE event_input (
                timestamp timestamptz, received_at timestamptz, source_id text, message_id text,
                type text, event text, user_id text, anonymous_id text, payload bytea, key uuid, ord integer
            ) ON COMMIT DROP
            """, connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync($"COPY event_input ({Columns}, key, ord) FROM STDIN (FORMAT BINARY)", cancellationToken))
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
                await copy.WriteAsync(KeyOf(e.SourceId, e.MessageId), NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(i, NpgsqlDbType.Integer, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new(ClaimNewKeysFromCopy));
        batch.BatchCommands.Add(new(_lock));
        var insert = new NpgsqlBatchCommand(InsertClaimedFromCopy);
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

        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(InsertRejectedCommand(rejected));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand InsertRejectedCommand(IReadOnlyList<RejectedEvent> rejected)
    {
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO rejected_events (received_at, source_id, reason, payload)
            SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::bytea[])
            """);
        insert.Parameters.Add(new() { Value = rejected.Select(r => r.ReceivedAt.UtcDateTime).ToArray() });
        insert.Parameters.Add(new() { Value = rejected.Select(r => r.SourceId).ToArray() });
        // text cannot hold U+0000; a reason may quote the bad input.
        insert.Parameters.Add(new() { Value = rejected.Select(r => r.Reason.Replace('\0', '\uFFFD')).ToArray() });
        insert.Parameters.Add(new() { Value = rejected.Select(r => r.Payload).ToArray() });
        return insert;
    }

    /// <summary>
    /// The slow path after a value PostgreSQL refuses: claims the keys, then halves the events under savepoints until
    /// every refused event is found, and stores those as rejected events with PostgreSQL's reason, in the same
    /// transaction. The claim comes before the savepoints, so the keys' rows carry the transaction's own xmin.
    /// </summary>
    private static async Task<AppendResult> AppendIsolatingAsync(NpgsqlConnection connection, int appended, List<CollectedEvent> unique, IReadOnlyList<RejectedEvent> rejected, StrongBox<bool> committing, CancellationToken cancellationToken)
    {
        var refused = new List<(CollectedEvent Event, RejectedEvent Rejected)>();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var claim = new NpgsqlBatch(connection))
        {
            claim.BatchCommands.Add(ClaimCommand(ClaimNewKeys, Keys(unique), unique));
            claim.BatchCommands.Add(new(_lock));
            await claim.ExecuteNonQueryAsync(cancellationToken);
        }

        var stored = await InsertOrIsolateAsync(connection, transaction, unique, refused, cancellationToken);
        if (refused.Count > 0)
        {
            await using var release = new NpgsqlBatch(connection);
            release.BatchCommands.Add(new(ReleaseKeys) { Parameters = { new() { Value = Keys([.. refused.Select(r => r.Event)]) } } });
            await release.ExecuteNonQueryAsync(cancellationToken);
        }

        await InsertRejectedAsync(connection, [.. rejected, .. refused.Select(r => r.Rejected)], cancellationToken);
        committing.Value = true;
        await transaction.CommitAsync(cancellationToken);
        return new AppendResult(stored, appended - stored - refused.Count, rejected.Count + refused.Count);
    }

    private static async Task<int> InsertOrIsolateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<CollectedEvent> events, List<(CollectedEvent, RejectedEvent)> refused, CancellationToken cancellationToken)
    {
        await transaction.SaveAsync("isolate", cancellationToken);
        try
        {
            var stored = await InsertClaimedAsync(connection, events, cancellationToken);
            await transaction.ReleaseAsync("isolate", cancellationToken);
            return stored;
        }
        catch (PostgresException e) when (IsUnstorableValue(e))
        {
            await transaction.RollbackAsync("isolate", cancellationToken);
            if (events.Count == 1)
            {
                var bad = events[0];
                refused.Add((bad, new RejectedEvent(bad.SourceId, bad.ReceivedAt, $"PostgreSQL cannot store this event: {e.MessageText}", bad.Payload.ToArray())));
                return 0;
            }

            var half = events.Count / 2;
            return await InsertOrIsolateAsync(connection, transaction, events[..half], refused, cancellationToken)
                + await InsertOrIsolateAsync(connection, transaction, events[half..], refused, cancellationToken);
        }
    }

    /// <summary>Class 22 (data exception: U+0000 in text) or 54000 (a value beyond a PostgreSQL limit, e.g. an index entry over ~2.7 KB).</summary>
    private static bool IsUnstorableValue(PostgresException e) =>
        e.SqlState.StartsWith("22", StringComparison.Ordinal) || e.SqlState == PostgresErrorCodes.ProgramLimitExceeded;
}
