using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Samlet.Events;
using Samlet.Identity;
using Samlet.Pipeline;
using Samlet.Profiles;

namespace Samlet.Storage.Sqlite;

/// <summary>Profiles, identifiers, timelines and identity history in SQLite (tables of <c>0002_profiles.sql</c>).</summary>
internal sealed class SqliteProfileStore(SqliteCdpStore store) : IProfileStore
{
    internal const string ProfileColumns = "id, workspace_id, created_at, first_seen, last_seen, last_source_id, last_message_id, updated_at, traits, counts, recheck_at";

    public async Task<long> GetCheckpointAsync(string consumer, CancellationToken cancellationToken) =>
        (await ReadCheckpointAsync(consumer, cancellationToken)).Position;

    public async Task<CheckpointState> ReadCheckpointAsync(string consumer, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, "SELECT position, version FROM checkpoints WHERE consumer = $c", ("$c", consumer));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new CheckpointState(reader.GetInt64(0), reader.GetInt64(1)) : new CheckpointState(0, 0);
    }

    // The pipeline's per-batch loads: thousands of point lookups, so through SQLitePCL statements directly
    // (prepare once, bind, step, reset) rather than an ADO.NET command and data reader per lookup, and in one read
    // transaction (else every lookup takes and drops SQLite's file locks: 8 % of a rebuild's CPU went to fcntl).
    public async Task<IReadOnlyList<ProfileIdentity>> LoadIdentitiesAsync(string workspaceId, IReadOnlyCollection<Identifier> keys, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        using var snapshot = connection.BeginTransaction(deferred: true);
        var db = connection.Handle!;
        var owners = new HashSet<string>(StringComparer.Ordinal);
        using (var find = new RawStatement(db, "SELECT profile_id FROM profile_identifiers WHERE workspace_id = ?1 AND type = ?2 AND value = ?3"))
        {
            foreach (var key in keys)
            {
                find.Bind(1, workspaceId).Bind(2, key.Type).Bind(3, key.Value);
                if (find.Step())
                {
                    owners.Add(find.GetText(0));
                }

                find.Reset();
            }
        }

        return ReadIdentities(db, owners);
    }

    /// <summary>The profiles among <paramref name="ids"/> that exist, each with all its identifiers in the order they were added.</summary>
    internal static List<ProfileIdentity> ReadIdentities(SQLitePCL.sqlite3 db, IEnumerable<string> ids)
    {
        var profiles = new List<ProfileIdentity>();
        using var created = new RawStatement(db, "SELECT created_at FROM profiles WHERE id = ?1");
        using var held = new RawStatement(db, "SELECT type, value, added_at FROM profile_identifiers WHERE profile_id = ?1 ORDER BY added_at, type, value");
        foreach (var id in ids)
        {
            created.Bind(1, id);
            var exists = created.Step();
            var createdAt = exists ? created.GetInt64(0) : 0;
            created.Reset();
            if (!exists)
            {
                continue;
            }

            var identifiers = ImmutableArray.CreateBuilder<HeldIdentifier>();
            held.Bind(1, id);
            while (held.Step())
            {
                identifiers.Add(new HeldIdentifier(new Identifier(held.GetText(0), held.GetText(1)), Time(held.GetInt64(2))));
            }

            held.Reset();
            profiles.Add(new ProfileIdentity(id, Time(createdAt), identifiers.ToImmutable()));
        }

        return profiles;
    }

    public async Task<IReadOnlyList<ProfileState>> LoadProfilesAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        using var snapshot = connection.BeginTransaction(deferred: true);
        using var select = new RawStatement(connection.Handle!, $"SELECT {ProfileColumns} FROM profiles WHERE id = ?1");
        var profiles = new List<ProfileState>(ids.Count);
        foreach (var id in ids)
        {
            select.Bind(1, id);
            if (select.Step())
            {
                var profile = new ProfileState(select.GetText(0), select.GetText(1), Time(select.GetInt64(2)))
                {
                    FirstSeen = select.IsNull(3) ? null : Time(select.GetInt64(3)),
                    LastSeen = select.IsNull(4) ? null : Time(select.GetInt64(4)),
                    LastSourceId = select.IsNull(5) ? null : select.GetText(5),
                    LastMessageId = select.IsNull(6) ? null : select.GetText(6),
                    UpdatedAt = select.IsNull(7) ? null : Time(select.GetInt64(7)),
                    RecheckAt = select.IsNull(10) ? null : Time(select.GetInt64(10)),
                };
                ProfileJson.ReadTraits(select.GetText(8), profile.Traits);
                ProfileJson.ReadCounts(select.GetText(9), profile);
                profiles.Add(profile);
            }

            select.Reset();
        }

        return profiles;
    }

    public async Task<IReadOnlyList<AccountState>> LoadAccountsAsync(string workspaceId, IReadOnlyCollection<string> groupIds, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, "SELECT traits, first_seen, last_seen FROM accounts WHERE workspace_id = $w AND group_id = $g", ("$w", workspaceId), ("$g", ""));
        var accounts = new List<AccountState>();
        foreach (var groupId in groupIds)
        {
            command.Parameters["$g"].Value = groupId;
            if (await ReadAccountAsync(command, workspaceId, groupId, cancellationToken) is { } account)
            {
                accounts.Add(account);
            }
        }

        return accounts;
    }

    public async Task<string?> FindProfileIdAsync(string workspaceId, Identifier identifier, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, "SELECT profile_id FROM profile_identifiers WHERE workspace_id = $w AND type = $t AND value = $v",
            ("$w", workspaceId), ("$t", identifier.Type), ("$v", identifier.Value));
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<ProfileState?> GetProfileAsync(string workspaceId, string profileId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, $"""
            SELECT {ProfileColumns} FROM profiles
            WHERE workspace_id = $w AND id = COALESCE((SELECT to_id FROM profile_redirects WHERE from_id = $p), $p)
            """, ("$w", workspaceId), ("$p", profileId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadProfile(reader) : null;
    }

    public async Task<IReadOnlyList<HeldIdentifier>> GetIdentifiersAsync(string profileId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, "SELECT type, value, added_at FROM profile_identifiers WHERE profile_id = $p ORDER BY added_at, type, value", ("$p", profileId));
        return await ReadHeldAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<StoredEvent>> GetEventsAsync(string profileId, long? before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        var columns = string.Join(", ", SqliteEventLog.Columns.Split(", ").Select(c => "e." + c));
        await using var command = Command(connection, $"""
            SELECT {columns} FROM (
                SELECT j.value AS seq FROM profile_timeline t, json_each(t.seqs) j
                WHERE t.profile_id = $p AND ($before IS NULL OR (t.first_seq < $before AND j.value < $before))
                ORDER BY j.value DESC LIMIT $limit) pe
            JOIN events e ON e.seq = pe.seq
            ORDER BY pe.seq DESC
            """, ("$p", profileId), ("$before", before), ("$limit", limit));
        return await SqliteEventLog.ReadEventsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<IdentityRecord>> GetHistoryAsync(string profileId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, "SELECT seq, message_id, at, kind, merged, explanation FROM identity_history WHERE profile_id = $p ORDER BY id", ("$p", profileId));
        var records = new List<IdentityRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new IdentityRecord(profileId, reader.GetInt64(0), reader.GetString(1), Time(reader.GetInt64(2)), reader.GetString(3),
                JsonSerializer.Deserialize<string[]>(reader.GetString(4)) ?? [], reader.GetString(5)));
        }

        return records;
    }

    public async Task<IReadOnlyList<AccountMember>> GetAccountsOfAsync(string profileId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, "SELECT workspace_id, group_id, linked_at FROM account_members WHERE profile_id = $p ORDER BY linked_at, group_id", ("$p", profileId));
        var members = new List<AccountMember>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            members.Add(new AccountMember(reader.GetString(0), reader.GetString(1), profileId, Time(reader.GetInt64(2))));
        }

        return members;
    }

    public async Task<IReadOnlyList<AccountMember>> GetMembersAsync(string workspaceId, string groupId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, """
            SELECT profile_id, linked_at FROM account_members WHERE workspace_id = $w AND group_id = $g
            ORDER BY linked_at, profile_id LIMIT $limit
            """, ("$w", workspaceId), ("$g", groupId), ("$limit", limit));
        var members = new List<AccountMember>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            members.Add(new AccountMember(workspaceId, groupId, reader.GetString(0), Time(reader.GetInt64(1))));
        }

        return members;
    }

    public async Task<AccountState?> GetAccountAsync(string workspaceId, string groupId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, "SELECT traits, first_seen, last_seen FROM accounts WHERE workspace_id = $w AND group_id = $g", ("$w", workspaceId), ("$g", groupId));
        return await ReadAccountAsync(command, workspaceId, groupId, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> SearchAsync(string workspaceId, string text, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        var found = new List<string>();
        // Identifier values by prefix (an index range), as typed and lower-cased (e-mails are stored lower-cased).
        foreach (var prefix in new[] { text, text.ToLowerInvariant() }.Distinct(StringComparer.Ordinal))
        {
            await using var byIdentifier = Command(connection, """
                SELECT DISTINCT profile_id FROM profile_identifiers
                WHERE workspace_id = $w AND value >= $from AND value < $to LIMIT $limit
                """, ("$w", workspaceId), ("$from", prefix), ("$to", prefix + '\uffff'), ("$limit", limit));
            await AddAsync(byIdentifier, found, limit, cancellationToken);
        }

        if (found.Count < limit)
        {
            // Trait values containing the text: a scan that stops at the limit (no index on values yet).
            await using var byTrait = Command(connection, """
                SELECT p.id FROM profiles p, json_each(p.traits) t
                WHERE p.workspace_id = $w AND json_extract(t.value, '$.v') LIKE $pattern ESCAPE '\'
                GROUP BY p.id LIMIT $limit
                """, ("$w", workspaceId), ("$pattern", "%" + EscapeLike(text) + "%"), ("$limit", limit));
            await AddAsync(byTrait, found, limit, cancellationToken);
        }

        return found;
    }

    public async Task<long> CountProfilesAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, "SELECT COUNT(*) FROM profiles WHERE workspace_id = $w", ("$w", workspaceId));
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<IdentityCut>> GetCutsAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, "SELECT type, value, profile_id, cut_at FROM identity_cuts WHERE workspace_id = $w ORDER BY cut_at, type, value", ("$w", workspaceId));
        var cuts = new List<IdentityCut>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            cuts.Add(new IdentityCut(workspaceId, new Identifier(reader.GetString(0), reader.GetString(1)), reader.GetString(2), Time(reader.GetInt64(3))));
        }

        return cuts;
    }

    public async Task<string?> GetIdentityRulesAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, "SELECT rules FROM identity_rules WHERE workspace_id = $w", ("$w", workspaceId));
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public Task SetIdentityRulesAsync(string workspaceId, string rulesJson, CancellationToken cancellationToken) =>
        store.WriteAsync(async connection =>
        {
            await using var command = Command(connection, "INSERT INTO identity_rules (workspace_id, rules) VALUES ($w, $r) ON CONFLICT (workspace_id) DO UPDATE SET rules = excluded.rules",
                ("$w", workspaceId), ("$r", rulesJson));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task ResetAsync(IReadOnlyCollection<string> consumers, CancellationToken cancellationToken) =>
        store.WriteAsync(connection => SqliteCdpStore.InTransactionAsync(connection, async () =>
        {
            foreach (var table in new[] { "profiles", "profile_redirects", "profile_identifiers", "profile_timeline", "identity_history", "accounts", "account_members", "audience_members" })
            {
                await SqliteCdpStore.ExecuteAsync(connection, "DELETE FROM " + table, cancellationToken);
            }

            foreach (var consumer in consumers)
            {
                await using var command = Command(connection, "INSERT INTO checkpoints (consumer, position) VALUES ($c, 0) ON CONFLICT (consumer) DO UPDATE SET position = 0, version = checkpoints.version + 1", ("$c", consumer));
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }, cancellationToken), cancellationToken);

    internal static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    internal static DateTimeOffset Time(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    private static ProfileState ReadProfile(SqliteDataReader reader)
    {
        var profile = new ProfileState(reader.GetString(0), reader.GetString(1), Time(reader.GetInt64(2)))
        {
            FirstSeen = reader.IsDBNull(3) ? null : Time(reader.GetInt64(3)),
            LastSeen = reader.IsDBNull(4) ? null : Time(reader.GetInt64(4)),
            LastSourceId = reader.IsDBNull(5) ? null : reader.GetString(5),
            LastMessageId = reader.IsDBNull(6) ? null : reader.GetString(6),
            UpdatedAt = reader.IsDBNull(7) ? null : Time(reader.GetInt64(7)),
            RecheckAt = reader.IsDBNull(10) ? null : Time(reader.GetInt64(10)),
        };
        ProfileJson.ReadTraits(reader.GetString(8), profile.Traits);
        ProfileJson.ReadCounts(reader.GetString(9), profile);
        return profile;
    }

    private static async Task<AccountState?> ReadAccountAsync(SqliteCommand command, string workspaceId, string groupId, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var account = new AccountState(workspaceId, groupId)
        {
            FirstSeen = reader.IsDBNull(1) ? null : Time(reader.GetInt64(1)),
            LastSeen = reader.IsDBNull(2) ? null : Time(reader.GetInt64(2)),
        };
        ProfileJson.ReadTraits(reader.GetString(0), account.Traits);
        return account;
    }

    private static async Task<List<HeldIdentifier>> ReadHeldAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var held = new List<HeldIdentifier>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            held.Add(new HeldIdentifier(new Identifier(reader.GetString(0), reader.GetString(1)), Time(reader.GetInt64(2))));
        }

        return held;
    }

    private static async Task AddAsync(SqliteCommand command, List<string> found, int limit, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (found.Count < limit && await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetString(0);
            if (!found.Contains(id))
            {
                found.Add(id);
            }
        }
    }

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
