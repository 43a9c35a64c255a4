using Npgsql;
using Samlet.Events;
using Samlet.Identity;
using Samlet.Pipeline;
using Samlet.Profiles;

namespace Samlet.Storage.Postgres;

/// <summary>
/// Profiles, identifiers, timelines and identity history in PostgreSQL (tables of <c>0002_profiles.sql</c>), read the
/// way <c>SqliteProfileStore</c> reads them. Every read runs on a pooled connection and is repeated once on a
/// connection the server dropped (<see cref="BrokenConnections"/>).
/// </summary>
internal sealed class PostgresProfileStore(NpgsqlDataSource dataSource) : IProfileStore
{
    private const string ProfileColumns = "id, workspace_id, created_at, first_seen, last_seen, last_source_id, last_message_id, updated_at, traits, counts, recheck_at";

    private static readonly string _eventColumns = string.Join(", ", PostgresEventLog.Columns.Split(", ").Select(c => "e." + c));

    public async Task<long> GetCheckpointAsync(string consumer, CancellationToken cancellationToken) =>
        (await ReadCheckpointAsync(consumer, cancellationToken)).Position;

    public async Task<CheckpointState> ReadCheckpointAsync(string consumer, CancellationToken cancellationToken) =>
        (await dataSource.QueryAsync("SELECT position, version FROM checkpoints WHERE consumer = $1", r => new CheckpointState(r.GetInt64(0), r.GetInt64(1)), cancellationToken, consumer))
        .FirstOrDefault() ?? new CheckpointState(0, 0);

    public async Task<IReadOnlyList<ProfileIdentity>> LoadIdentitiesAsync(string workspaceId, IReadOnlyCollection<Identifier> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        // One statement: the owners of the keys, then every identifier of each owner that is a live profile.
        var rows = await dataSource.QueryAsync("""
            WITH owners AS (
                SELECT DISTINCT k.profile_id FROM unnest($2::text[], $3::text[]) AS u (type, value)
                JOIN profile_identifiers k ON k.workspace_id = $1 AND k.type = u.type AND k.value = u.value)
            SELECT p.id, p.created_at, i.type, i.value, i.added_at
            FROM owners o JOIN profiles p ON p.id = o.profile_id JOIN profile_identifiers i ON i.profile_id = p.id
            ORDER BY p.id, i.added_at, i.type, i.value
            """, r => (Id: r.GetString(0), CreatedAt: Time(r, 1), Held: new HeldIdentifier(new Identifier(r.GetString(2), r.GetString(3)), Time(r, 4))),
            cancellationToken, workspaceId, keys.Select(k => k.Type).ToArray(), keys.Select(k => k.Value).ToArray());
        return [.. rows.GroupBy(r => r.Id).Select(g => new ProfileIdentity(g.Key, g.First().CreatedAt, [.. g.Select(r => r.Held)]))];
    }

    public async Task<IReadOnlyList<ProfileState>> LoadProfilesAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var found = (await dataSource.QueryAsync($"SELECT {ProfileColumns} FROM profiles WHERE id = ANY($1)", ReadProfile, cancellationToken, (object)ids.ToArray()))
            .ToDictionary(p => p.Id, StringComparer.Ordinal);
        // In the order asked for, as SQLite answers.
        return [.. ids.Where(found.ContainsKey).Select(id => found[id])];
    }

    public async Task<IReadOnlyList<AccountState>> LoadAccountsAsync(string workspaceId, IReadOnlyCollection<string> groupIds, CancellationToken cancellationToken)
    {
        if (groupIds.Count == 0)
        {
            return [];
        }

        var found = (await dataSource.QueryAsync("SELECT group_id, traits, first_seen, last_seen FROM accounts WHERE workspace_id = $1 AND group_id = ANY($2)",
            r => ReadAccount(r, workspaceId), cancellationToken, workspaceId, groupIds.ToArray())).ToDictionary(a => a.GroupId, StringComparer.Ordinal);
        return [.. groupIds.Where(found.ContainsKey).Select(id => found[id])];
    }

    public async Task<string?> FindProfileIdAsync(string workspaceId, Identifier identifier, CancellationToken cancellationToken) =>
        (await dataSource.QueryAsync("SELECT profile_id FROM profile_identifiers WHERE workspace_id = $1 AND type = $2 AND value = $3",
            r => r.GetString(0), cancellationToken, workspaceId, identifier.Type, identifier.Value)).FirstOrDefault();

    public async Task<ProfileState?> GetProfileAsync(string workspaceId, string profileId, CancellationToken cancellationToken) =>
        (await dataSource.QueryAsync($"""
            SELECT {ProfileColumns} FROM profiles
            WHERE workspace_id = $1 AND id = COALESCE((SELECT to_id FROM profile_redirects WHERE from_id = $2), $2)
            """, ReadProfile, cancellationToken, workspaceId, profileId)).FirstOrDefault();

    public async Task<IReadOnlyList<HeldIdentifier>> GetIdentifiersAsync(string profileId, CancellationToken cancellationToken) =>
        await dataSource.QueryAsync("SELECT type, value, added_at FROM profile_identifiers WHERE profile_id = $1 ORDER BY added_at, type, value",
            r => new HeldIdentifier(new Identifier(r.GetString(0), r.GetString(1)), Time(r, 2)), cancellationToken, profileId);

    public async Task<IReadOnlyList<StoredEvent>> GetEventsAsync(string profileId, long? before, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(TimelineSql(before is not null));
        command.Parameters.Add(new() { Value = profileId });
        command.Parameters.Add(new() { Value = limit });
        if (before is { } position)
        {
            command.Parameters.Add(new() { Value = position });
        }

        return await BrokenConnections.RetryOnceAsync(dataSource, () => PostgresEventLog.ReadEventsAsync(command, cancellationToken));
    }

    /// <summary>
    /// Joined on (seq, received_at), the primary key of every partition of events: each link is one probe in one
    /// partition (run-time pruning). Without a cursor the condition is left out rather than made optional, so that the
    /// index range stays tight. Parameters: profile id, limit, and the cursor.
    /// </summary>
    internal static string TimelineSql(bool withCursor) => $"""
        SELECT {_eventColumns} FROM profile_events pe JOIN events e ON e.seq = pe.seq AND e.received_at = pe.received_at
        WHERE pe.profile_id = $1{(withCursor ? " AND pe.seq < $3" : "")}
        ORDER BY pe.seq DESC LIMIT $2
        """;

    public async Task<IReadOnlyList<IdentityRecord>> GetHistoryAsync(string profileId, CancellationToken cancellationToken) =>
        await dataSource.QueryAsync("SELECT seq, message_id, at, kind, merged, explanation FROM identity_history WHERE profile_id = $1 ORDER BY id",
            r => new IdentityRecord(profileId, r.GetInt64(0), r.GetString(1), Time(r, 2), r.GetString(3), r.GetFieldValue<string[]>(4), r.GetString(5)),
            cancellationToken, profileId);

    public async Task<IReadOnlyList<AccountMember>> GetAccountsOfAsync(string profileId, CancellationToken cancellationToken) =>
        await dataSource.QueryAsync("SELECT workspace_id, group_id, linked_at FROM account_members WHERE profile_id = $1 ORDER BY linked_at, group_id",
            r => new AccountMember(r.GetString(0), r.GetString(1), profileId, Time(r, 2)), cancellationToken, profileId);

    public async Task<IReadOnlyList<AccountMember>> GetMembersAsync(string workspaceId, string groupId, int limit, CancellationToken cancellationToken) =>
        await dataSource.QueryAsync("""
            SELECT profile_id, linked_at FROM account_members WHERE workspace_id = $1 AND group_id = $2
            ORDER BY linked_at, profile_id LIMIT $3
            """, r => new AccountMember(workspaceId, groupId, r.GetString(0), Time(r, 1)), cancellationToken, workspaceId, groupId, limit);

    public async Task<AccountState?> GetAccountAsync(string workspaceId, string groupId, CancellationToken cancellationToken) =>
        (await dataSource.QueryAsync("SELECT group_id, traits, first_seen, last_seen FROM accounts WHERE workspace_id = $1 AND group_id = $2",
            r => ReadAccount(r, workspaceId), cancellationToken, workspaceId, groupId)).FirstOrDefault();

    public async Task<IReadOnlyList<string>> SearchAsync(string workspaceId, string text, int limit, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        // Identifier values by prefix (an index range in byte order, as in SQLite), as typed and lower-cased (e-mails
        // are stored lower-cased): per prefix the first `limit` profiles in (value, type) order.
        foreach (var prefix in new[] { text, text.ToLowerInvariant() }.Distinct(StringComparer.Ordinal))
        {
            Add(found, await FirstHoldersAsync(workspaceId, prefix, limit, cancellationToken), limit);
        }

        if (found.Count < limit)
        {
            // Trait values containing the text: a scan that stops at the limit (no index on values yet). ILIKE under
            // COLLATE "C" folds ASCII letters only, like SQLite's LIKE.
            var byTrait = await dataSource.QueryAsync("""
                SELECT p.id FROM profiles p
                WHERE p.workspace_id = $1 AND EXISTS (SELECT 1 FROM jsonb_each(p.traits) t WHERE (t.value ->> 'v') ILIKE $2 COLLATE "C")
                ORDER BY p.id LIMIT $3
                """, r => r.GetString(0), cancellationToken, workspaceId, "%" + EscapeLike(text) + "%", limit);
            Add(found, byTrait, limit);
        }

        return found;
    }

    public async Task<long> CountProfilesAsync(string workspaceId, CancellationToken cancellationToken) =>
        (await dataSource.QueryAsync("SELECT count(*) FROM profiles WHERE workspace_id = $1", r => r.GetInt64(0), cancellationToken, workspaceId))[0];

    public async Task<IReadOnlyList<IdentityCut>> GetCutsAsync(string workspaceId, CancellationToken cancellationToken) =>
        await dataSource.QueryAsync("SELECT type, value, profile_id, cut_at FROM identity_cuts WHERE workspace_id = $1 ORDER BY cut_at, type, value",
            r => new IdentityCut(workspaceId, new Identifier(r.GetString(0), r.GetString(1)), r.GetString(2), Time(r, 3)), cancellationToken, workspaceId);

    public async Task<string?> GetIdentityRulesAsync(string workspaceId, CancellationToken cancellationToken) =>
        (await dataSource.QueryAsync("SELECT rules FROM identity_rules WHERE workspace_id = $1", r => r.GetString(0), cancellationToken, workspaceId)).FirstOrDefault();

    // An upsert: safe to repeat on a fresh connection whatever happened to the first attempt.
    public async Task SetIdentityRulesAsync(string workspaceId, string rulesJson, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("INSERT INTO identity_rules (workspace_id, rules) VALUES ($1, $2) ON CONFLICT (workspace_id) DO UPDATE SET rules = excluded.rules");
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = rulesJson });
        await BrokenConnections.RetryOnceAsync(dataSource, () => command.ExecuteNonQueryAsync(cancellationToken));
    }

    // TRUNCATE (one statement, instant on any size, transactional in PostgreSQL) rather than SQLite's DELETEs; safe to repeat.
    public Task ResetAsync(IReadOnlyCollection<string> consumers, CancellationToken cancellationToken) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new("TRUNCATE profiles, profile_redirects, profile_identifiers, profile_events, identity_history, accounts, account_members, audience_members"),
                    new("INSERT INTO checkpoints (consumer, position) SELECT unnest($1::text[]), 0 ON CONFLICT (consumer) DO UPDATE SET position = 0, version = checkpoints.version + 1") { Parameters = { new() { Value = consumers.ToArray() } } },
                },
            };
            await batch.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return 0;
        });

    internal static DateTimeOffset Time(NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    internal static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : Time(reader, ordinal);

    /// <summary>
    /// The first <paramref name="limit"/> distinct profiles holding a value that starts with <paramref name="prefix"/>, in
    /// (value, type) order: read in pages (keyset on the index), so a short prefix does not read every match.
    /// </summary>
    private async Task<List<string>> FirstHoldersAsync(string workspaceId, string prefix, int limit, CancellationToken cancellationToken)
    {
        var holders = new List<string>();
        var page = Math.Max(100, limit * 4);
        var (afterValue, afterType) = (prefix, "");
        while (holders.Count < limit)
        {
            // (value, type) > (prefix, '') also holds for a value equal to the prefix: types are never empty.
            var rows = await dataSource.QueryAsync("""
                SELECT value, type, profile_id FROM profile_identifiers
                WHERE workspace_id = $1 AND (value, type) > ($2, $3) AND value < $4 ORDER BY value, type LIMIT $5
                """, r => (Value: r.GetString(0), Type: r.GetString(1), ProfileId: r.GetString(2)), cancellationToken,
                workspaceId, afterValue, afterType, prefix + '\uffff', page);
            foreach (var row in rows)
            {
                if (holders.Count < limit && !holders.Contains(row.ProfileId))
                {
                    holders.Add(row.ProfileId);
                }
            }

            if (rows.Count < page)
            {
                break;
            }

            (afterValue, afterType) = (rows[^1].Value, rows[^1].Type);
        }

        return holders;
    }

    private static ProfileState ReadProfile(NpgsqlDataReader reader)
    {
        var profile = new ProfileState(reader.GetString(0), reader.GetString(1), Time(reader, 2))
        {
            FirstSeen = NullableTime(reader, 3),
            LastSeen = NullableTime(reader, 4),
            LastSourceId = reader.IsDBNull(5) ? null : reader.GetString(5),
            LastMessageId = reader.IsDBNull(6) ? null : reader.GetString(6),
            UpdatedAt = NullableTime(reader, 7),
            RecheckAt = NullableTime(reader, 10),
        };
        ProfileJson.ReadTraits(reader.GetString(8), profile.Traits);
        ProfileJson.ReadCounts(reader.GetString(9), profile);
        return profile;
    }

    private static AccountState ReadAccount(NpgsqlDataReader reader, string workspaceId)
    {
        var account = new AccountState(workspaceId, reader.GetString(0)) { FirstSeen = NullableTime(reader, 2), LastSeen = NullableTime(reader, 3) };
        ProfileJson.ReadTraits(reader.GetString(1), account.Traits);
        return account;
    }

    private static void Add(List<string> found, IEnumerable<string> ids, int limit)
    {
        foreach (var id in ids)
        {
            if (found.Count >= limit)
            {
                return;
            }

            if (!found.Contains(id))
            {
                found.Add(id);
            }
        }
    }

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
