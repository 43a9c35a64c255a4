using System.Runtime.CompilerServices;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Samlet.Identity;
using Samlet.Pipeline;
using Samlet.Profiles;

namespace Samlet.Storage.Postgres;

/// <summary>
/// Applies <see cref="ChangeSet"/>s in one transaction, one after the other, each with the outcome
/// <c>SqliteChangeWriter</c> gives: the checkpoint move, deletions, redirects, then the rest. Each part is one set-based
/// statement over array parameters, and all of a change set's parts travel in one batch (one round trip); measured as
/// fast as binary COPY at a pipeline batch's sizes (ADR 6).
/// </summary>
internal static class PostgresChangeWriter
{
    public static async Task ApplyAsync(NpgsqlDataSource dataSource, EventPartitions partitions, IReadOnlyList<ChangeSet> changes, CancellationToken cancellationToken)
    {
        // Partitions are DDL in a transaction of their own, made before this one (as an append makes them).
        await partitions.EnsureAsync(changes.SelectMany(c => c.Emitted).Select(e => e.ReceivedAt), cancellationToken);
        var committing = new StrongBox<bool>();
        try
        {
            await AttemptAsync(dataSource, changes, committing, cancellationToken);
        }
        catch (NpgsqlException e) when (!committing.Value && BrokenConnections.IsBroken(e))
        {
            // COMMIT was not sent, so nothing of the change sets is stored: run them once more on a fresh connection. One
            // whose COMMIT was sent is never repeated (an unmerge has no checkpoint to refuse a second application).
            dataSource.Clear();
            await AttemptAsync(dataSource, changes, committing, cancellationToken);
        }
    }

    private static async Task AttemptAsync(NpgsqlDataSource dataSource, IReadOnlyList<ChangeSet> changeSets, StrongBox<bool> committing, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var asynchronousCommit = changeSets.All(c => c.Cuts.Count == 0);
        foreach (var changes in changeSets)
        {
            await ApplyAsync(connection, changes, asynchronousCommit, cancellationToken);
        }

        // Last: the append lock it takes is held until COMMIT and holds up every ingesting append meanwhile (ADR 6).
        await using var append = new NpgsqlBatch(connection);
        EventAppender.AddAppend(append, [.. changeSets.SelectMany(c => c.Emitted)]);
        if (append.BatchCommands.Count > 0)
        {
            await append.ExecuteNonQueryAsync(cancellationToken);
        }

        committing.Value = true;
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task ApplyAsync(NpgsqlConnection connection, ChangeSet changes, bool asynchronousCommit, CancellationToken cancellationToken)
    {
        if (changes.Checkpoints.Count > 0)
        {
            // First: this takes the checkpoints' row locks before anything else, so a second worker with the same batch
            // waits here, then finds a position moved and applies nothing, instead of colliding on the rows of the first.
            await MoveCheckpointsAsync(connection, changes.Checkpoints, asynchronousCommit, cancellationToken);
        }

        await using var batch = new NpgsqlBatch(connection);
        AddDeletions(batch, changes.Deleted);
        AddRedirects(batch, changes.Redirects);
        AddProfiles(batch, changes.Profiles);
        AddIdentifiers(batch, changes.Identifiers);
        AddEventLinks(batch, changes.Events);
        AddHistory(batch, changes.History);
        AddAccounts(batch, changes.Accounts);
        AddMembers(batch, changes.Members);
        AddCuts(batch, changes.Cuts);
        PostgresAudienceChanges.AddMemberships(batch, changes.Memberships);
        PostgresAudienceChanges.AddBackfill(batch, changes.Backfill);
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task MoveCheckpointsAsync(NpgsqlConnection connection, List<CheckpointMove> moves, bool asynchronousCommit, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        if (asynchronousCommit)
        {
            // Derived state, committed with its checkpoint: a batch a server crash takes back is applied again from the
            // log, so its COMMIT need not wait for the WAL flush (as SQLite's applies skip the fsync). Unmerge cuts are
            // not derived, and a change set holding them commits durably.
            batch.BatchCommands.Add(new("SET LOCAL synchronous_commit = off"));
        }

        // In consumer order: two instances whose partition sets overlap for a moment lock the rows in one order, never in a cycle.
        var ordered = moves.OrderBy(m => m.Consumer, StringComparer.Ordinal).ToList();
        var updates = new List<NpgsqlBatchCommand>();
        foreach (var move in ordered)
        {
            batch.BatchCommands.Add(Command("INSERT INTO checkpoints (consumer, position) VALUES ($1, 0) ON CONFLICT DO NOTHING", move.Consumer));
            var update = Command(
                "UPDATE checkpoints SET position = $2, version = version + 1 WHERE consumer = $1 AND position = $3 AND ($4::bigint IS NULL OR version = $4)",
                move.Consumer, move.Position, move.Expected, new NpgsqlParameter { Value = (object?)move.ExpectedVersion ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
            batch.BatchCommands.Add(update);
            updates.Add(update);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        for (var i = 0; i < ordered.Count; i++)
        {
            if (updates[i].RecordsAffected != 1)
            {
                throw new CheckpointConflictException(ordered[i].Consumer, ordered[i].Expected);
            }
        }
    }

    private static void AddDeletions(NpgsqlBatch batch, List<string> deleted)
    {
        if (deleted.Count == 0)
        {
            return;
        }

        var ids = deleted.ToArray();
        foreach (var sql in (ReadOnlySpan<string>)[
            "DELETE FROM profile_identifiers WHERE profile_id = ANY($1)",
            "DELETE FROM profile_events WHERE profile_id = ANY($1)",
            "DELETE FROM identity_history WHERE profile_id = ANY($1)",
            "DELETE FROM account_members WHERE profile_id = ANY($1)",
            "DELETE FROM audience_members WHERE profile_id = ANY($1)",
            "DELETE FROM profile_redirects WHERE to_id = ANY($1) OR from_id = ANY($1)",
            "DELETE FROM profiles WHERE id = ANY($1)"])
        {
            batch.BatchCommands.Add(Command(sql, (object)ids));
        }
    }

    /// <summary>
    /// All redirects at once. SQLite follows them one by one; set-based statements give the same outcome once every
    /// redirect names its final survivor (a pipeline batch's always do; a chain a→b, b→c is resolved to a→c, b→c first).
    /// A membership the survivor already has keeps the earlier link time.
    /// </summary>
    private static void AddRedirects(NpgsqlBatch batch, List<ProfileRedirect> redirects)
    {
        if (redirects.Count == 0)
        {
            return;
        }

        var final = new Dictionary<string, ProfileRedirect>(StringComparer.Ordinal);
        foreach (var redirect in redirects)
        {
            final[redirect.From] = redirect;
        }

        var resolved = final.Values.Select(r => r with { To = FinalOf(final, r.To) }).ToList();
        var from = resolved.Select(r => r.From).ToArray();
        var to = resolved.Select(r => r.To).ToArray();
        const string Pairs = "unnest($1::text[], $2::text[]) AS r (from_id, to_id)";
        // Each pair is a few index probes. The statistics cannot be trusted to say so: during a rebuild (tables emptied,
        // then refilled faster than autovacuum re-analyses them) the planner took each id for thousands of rows and
        // scanned the whole timeline per commit instead (1.2 M-event rebuild: 34 of its 54 s of commits, auto_explain).
        batch.BatchCommands.Add(new("SET LOCAL enable_hashjoin = off"));
        batch.BatchCommands.Add(new("SET LOCAL enable_mergejoin = off"));
        foreach (var sql in (ReadOnlySpan<string>)[
            $"UPDATE profile_identifiers t SET profile_id = r.to_id FROM {Pairs} WHERE t.profile_id = r.from_id",
            $"UPDATE profile_events t SET profile_id = r.to_id FROM {Pairs} WHERE t.profile_id = r.from_id",
            $"UPDATE identity_history t SET profile_id = r.to_id FROM {Pairs} WHERE t.profile_id = r.from_id",
            $"""
            INSERT INTO account_members (workspace_id, group_id, profile_id, linked_at)
            SELECT m.workspace_id, m.group_id, r.to_id, min(m.linked_at) FROM account_members m JOIN {Pairs} ON m.profile_id = r.from_id
            GROUP BY m.workspace_id, m.group_id, r.to_id
            ON CONFLICT (workspace_id, group_id, profile_id) DO UPDATE SET linked_at = LEAST(account_members.linked_at, excluded.linked_at)
            """,
            $"UPDATE profile_redirects t SET to_id = r.to_id FROM {Pairs} WHERE t.to_id = r.from_id"])
        {
            batch.BatchCommands.Add(Command(sql, from, to));
        }

        batch.BatchCommands.Add(new("SET LOCAL enable_hashjoin TO DEFAULT"));
        batch.BatchCommands.Add(new("SET LOCAL enable_mergejoin TO DEFAULT"));

        batch.BatchCommands.Add(Command("DELETE FROM account_members WHERE profile_id = ANY($1)", (object)from));
        // The pipeline re-evaluates the survivor's audiences; the merged-away ids' memberships just go.
        batch.BatchCommands.Add(Command("DELETE FROM audience_members WHERE profile_id = ANY($1)", (object)from));
        batch.BatchCommands.Add(Command("DELETE FROM profiles WHERE id = ANY($1)", (object)from));
        batch.BatchCommands.Add(Command("""
            INSERT INTO profile_redirects (from_id, workspace_id, to_id) SELECT * FROM unnest($1::text[], $3::text[], $2::text[])
            ON CONFLICT (from_id) DO UPDATE SET to_id = excluded.to_id
            """, from, to, resolved.Select(r => r.WorkspaceId).ToArray()));
    }

    private static string FinalOf(Dictionary<string, ProfileRedirect> redirects, string id)
    {
        for (var hops = 0; hops <= redirects.Count && redirects.TryGetValue(id, out var next); hops++)
        {
            id = next.To;
        }

        return id;
    }

    private static void AddProfiles(NpgsqlBatch batch, List<ProfileState> profiles)
    {
        if (profiles.Count == 0)
        {
            return;
        }

        // ON CONFLICT DO UPDATE may touch a row once per statement: the last state of a profile wins, as with INSERT OR REPLACE.
        var rows = LastOfEach(profiles, p => p.Id);
        batch.BatchCommands.Add(Command("""
            INSERT INTO profiles (id, workspace_id, created_at, first_seen, last_seen, last_source_id, last_message_id, updated_at, traits, counts, recheck_at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[], $6::text[], $7::text[], $8::timestamptz[], $9::jsonb[], $10::jsonb[], $11::timestamptz[])
            ON CONFLICT (id) DO UPDATE SET workspace_id = excluded.workspace_id, created_at = excluded.created_at, first_seen = excluded.first_seen,
                last_seen = excluded.last_seen, last_source_id = excluded.last_source_id, last_message_id = excluded.last_message_id,
                updated_at = excluded.updated_at, traits = excluded.traits, counts = excluded.counts, recheck_at = excluded.recheck_at
            """,
            rows.Select(p => p.Id).ToArray(),
            rows.Select(p => p.WorkspaceId).ToArray(),
            rows.Select(p => p.CreatedAt.UtcDateTime).ToArray(),
            Times(rows.Select(p => p.FirstSeen)),
            Times(rows.Select(p => p.LastSeen)),
            Texts(rows.Select(p => p.LastSourceId)),
            Texts(rows.Select(p => p.LastMessageId)),
            Times(rows.Select(p => p.UpdatedAt)),
            Json(rows.Select(p => ProfileJson.WriteTraits(p.Traits))),
            Json(rows.Select(ProfileJson.WriteCounts)),
            Times(rows.Select(p => p.RecheckAt))));
    }

    private static void AddIdentifiers(NpgsqlBatch batch, List<ProfileIdentifier> identifiers)
    {
        if (identifiers.Count == 0)
        {
            return;
        }

        batch.BatchCommands.Add(Command("""
            INSERT INTO profile_identifiers (workspace_id, type, value, profile_id, added_at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
            """,
            identifiers.Select(i => i.WorkspaceId).ToArray(),
            identifiers.Select(i => i.Identifier.Type).ToArray(),
            identifiers.Select(i => i.Identifier.Value).ToArray(),
            identifiers.Select(i => i.ProfileId).ToArray(),
            identifiers.Select(i => i.AddedAt.UtcDateTime).ToArray()));
    }

    /// <summary>
    /// The links take each event's received_at (its partition key) from the log. The range condition lets PostgreSQL
    /// read a batch's events (consecutive positions) as one index range per partition; for scattered positions (an
    /// unmerge) the planner probes per link instead.
    /// </summary>
    private static void AddEventLinks(NpgsqlBatch batch, List<EventLink> links)
    {
        if (links.Count == 0)
        {
            return;
        }

        var sequences = links.Select(l => l.Sequence).ToArray();
        batch.BatchCommands.Add(Command("""
            INSERT INTO profile_events (profile_id, seq, received_at)
            SELECT l.profile_id, l.seq, e.received_at FROM unnest($1::text[], $2::bigint[]) AS l (profile_id, seq)
            JOIN events e ON e.seq = l.seq
            WHERE e.seq BETWEEN $3 AND $4
            """, links.Select(l => l.ProfileId).ToArray(), sequences, sequences.Min(), sequences.Max()));
    }

    /// <summary>In the change set's order, which the identity column (the history's order) keeps.</summary>
    private static void AddHistory(NpgsqlBatch batch, List<IdentityRecord> history)
    {
        if (history.Count == 0)
        {
            return;
        }

        // Arrays of arrays must be rectangular in PostgreSQL, so each merged list travels as a JSON array.
        batch.BatchCommands.Add(Command("""
            INSERT INTO identity_history (profile_id, seq, message_id, at, kind, merged, explanation)
            SELECT profile_id, seq, message_id, at, kind, ARRAY(SELECT jsonb_array_elements_text(merged)), explanation
            FROM unnest($1::text[], $2::bigint[], $3::text[], $4::timestamptz[], $5::text[], $6::jsonb[], $7::text[])
                WITH ORDINALITY AS h (profile_id, seq, message_id, at, kind, merged, explanation, ord)
            ORDER BY ord
            """,
            history.Select(h => h.ProfileId).ToArray(),
            history.Select(h => h.Sequence).ToArray(),
            history.Select(h => h.MessageId).ToArray(),
            history.Select(h => h.At.UtcDateTime).ToArray(),
            history.Select(h => h.Kind).ToArray(),
            Json(history.Select(h => JsonSerializer.Serialize(h.MergedProfiles))),
            history.Select(h => h.Explanation).ToArray()));
    }

    private static void AddAccounts(NpgsqlBatch batch, List<AccountState> accounts)
    {
        if (accounts.Count == 0)
        {
            return;
        }

        var rows = LastOfEach(accounts, a => (a.WorkspaceId, a.GroupId));
        batch.BatchCommands.Add(Command("""
            INSERT INTO accounts (workspace_id, group_id, traits, first_seen, last_seen)
            SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::timestamptz[], $5::timestamptz[])
            ON CONFLICT (workspace_id, group_id) DO UPDATE SET traits = excluded.traits, first_seen = excluded.first_seen, last_seen = excluded.last_seen
            """,
            rows.Select(a => a.WorkspaceId).ToArray(),
            rows.Select(a => a.GroupId).ToArray(),
            Json(rows.Select(a => ProfileJson.WriteTraits(a.Traits))),
            Times(rows.Select(a => a.FirstSeen)),
            Times(rows.Select(a => a.LastSeen))));
    }

    /// <summary>A link already there keeps the earlier time; a link named twice in the change set counts once, with its earliest time.</summary>
    private static void AddMembers(NpgsqlBatch batch, List<AccountMember> members)
    {
        if (members.Count == 0)
        {
            return;
        }

        batch.BatchCommands.Add(Command("""
            INSERT INTO account_members (workspace_id, group_id, profile_id, linked_at)
            SELECT workspace_id, group_id, profile_id, min(linked_at)
            FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) AS m (workspace_id, group_id, profile_id, linked_at)
            GROUP BY workspace_id, group_id, profile_id
            ON CONFLICT (workspace_id, group_id, profile_id) DO UPDATE SET linked_at = LEAST(account_members.linked_at, excluded.linked_at)
            """,
            members.Select(m => m.WorkspaceId).ToArray(),
            members.Select(m => m.GroupId).ToArray(),
            members.Select(m => m.ProfileId).ToArray(),
            members.Select(m => m.LinkedAt.UtcDateTime).ToArray()));
    }

    private static void AddCuts(NpgsqlBatch batch, List<IdentityCut> cuts)
    {
        if (cuts.Count == 0)
        {
            return;
        }

        var rows = LastOfEach(cuts, c => (c.WorkspaceId, c.Identifier));
        batch.BatchCommands.Add(Command("""
            INSERT INTO identity_cuts (workspace_id, type, value, profile_id, cut_at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
            ON CONFLICT (workspace_id, type, value) DO UPDATE SET profile_id = excluded.profile_id, cut_at = excluded.cut_at
            """,
            rows.Select(c => c.WorkspaceId).ToArray(),
            rows.Select(c => c.Identifier.Type).ToArray(),
            rows.Select(c => c.Identifier.Value).ToArray(),
            rows.Select(c => c.ProfileId).ToArray(),
            rows.Select(c => c.CutAt.UtcDateTime).ToArray()));
    }

    /// <summary>One row per key, the last one given (INSERT OR REPLACE in order), at the place of the key's first row.</summary>
    private static List<T> LastOfEach<T, TKey>(List<T> rows, Func<T, TKey> key)
        where TKey : notnull
    {
        var index = new Dictionary<TKey, int>(rows.Count);
        var result = new List<T>(rows.Count);
        foreach (var row in rows)
        {
            if (index.TryGetValue(key(row), out var at))
            {
                result[at] = row;
            }
            else
            {
                index[key(row)] = result.Count;
                result.Add(row);
            }
        }

        return result;
    }

    // A single array argument must be passed as (object)array: params would take it for the argument list itself.
    internal static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value });
        }

        return command;
    }

    private static NpgsqlParameter Times(IEnumerable<DateTimeOffset?> times) =>
        new() { Value = times.Select(t => t?.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz };

    private static NpgsqlParameter Texts(IEnumerable<string?> texts) =>
        new() { Value = texts.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static NpgsqlParameter Json(IEnumerable<string> documents) =>
        new() { Value = documents.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb };
}
