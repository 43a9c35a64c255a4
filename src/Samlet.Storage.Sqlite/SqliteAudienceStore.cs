using Microsoft.Data.Sqlite;
using Samlet.Audiences;
using Samlet.Identity;

namespace Samlet.Storage.Sqlite;

/// <summary>Definitions, backfills and audience memberships in SQLite (tables of <c>0003_audiences.sql</c>).</summary>
internal sealed class SqliteAudienceStore(SqliteCdpStore store) : IAudienceStore
{
    public async Task<IReadOnlyList<StoredDefinition>> ListDefinitionsAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, "SELECT kind, key, json, version, updated_at FROM definitions WHERE workspace_id = $w ORDER BY kind, key", ("$w", workspaceId));
        return await ReadDefinitionsAsync(command, workspaceId, cancellationToken);
    }

    public async Task<StoredDefinition?> GetDefinitionAsync(string workspaceId, DefinitionKind kind, string key, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, "SELECT kind, key, json, version, updated_at FROM definitions WHERE workspace_id = $w AND kind = $k AND key = $key",
            ("$w", workspaceId), ("$k", kind.ToWire()), ("$key", key));
        return (await ReadDefinitionsAsync(command, workspaceId, cancellationToken)).FirstOrDefault();
    }

    public Task<StoredDefinition> PutDefinitionAsync(string workspaceId, DefinitionKind kind, string key, string json, DateTimeOffset at, CancellationToken cancellationToken) =>
        store.WriteAsync(async connection =>
        {
            StoredDefinition? stored = null;
            await SqliteCdpStore.InTransactionAsync(connection, async () =>
            {
                var version = await NextVersionAsync(connection, workspaceId, at, cancellationToken);
                await using var put = Command(connection, """
                    INSERT INTO definitions (workspace_id, kind, key, json, version, updated_at) VALUES ($w, $k, $key, $json, $v, $at)
                    ON CONFLICT (workspace_id, kind, key) DO UPDATE SET json = excluded.json, version = excluded.version, updated_at = excluded.updated_at
                    """, ("$w", workspaceId), ("$k", kind.ToWire()), ("$key", key), ("$json", json), ("$v", version), ("$at", at.ToUnixTimeMilliseconds()));
                await put.ExecuteNonQueryAsync(cancellationToken);
                stored = new StoredDefinition(workspaceId, kind, key, json, version, SqliteProfileStore.Time(at.ToUnixTimeMilliseconds()));
            }, cancellationToken);
            return stored!;
        }, cancellationToken);

    public Task<bool> DeleteDefinitionAsync(string workspaceId, DefinitionKind kind, string key, DateTimeOffset at, CancellationToken cancellationToken) =>
        store.WriteAsync(async connection =>
        {
            var found = false;
            await SqliteCdpStore.InTransactionAsync(connection, async () =>
            {
                await using var delete = Command(connection, "DELETE FROM definitions WHERE workspace_id = $w AND kind = $k AND key = $key",
                    ("$w", workspaceId), ("$k", kind.ToWire()), ("$key", key));
                found = await delete.ExecuteNonQueryAsync(cancellationToken) == 1;
                if (!found)
                {
                    return;
                }

                if (kind == DefinitionKind.Audience)
                {
                    await using var members = Command(connection, "DELETE FROM audience_members WHERE workspace_id = $w AND audience_key = $key", ("$w", workspaceId), ("$key", key));
                    await members.ExecuteNonQueryAsync(cancellationToken);
                }

                await NextVersionAsync(connection, workspaceId, at, cancellationToken);
            }, cancellationToken);
            return found;
        }, cancellationToken);

    public async Task<long> GetDefinitionsVersionAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, "SELECT version FROM definition_versions WHERE workspace_id = $w", ("$w", workspaceId));
        return await command.ExecuteScalarAsync(cancellationToken) is long version ? version : 0;
    }

    public async Task<Backfill?> GetBackfillAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, "SELECT version, cursor, done, total, started_at, finished_at FROM backfills WHERE workspace_id = $w", ("$w", workspaceId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Backfill(workspaceId, reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3),
                Time(reader.GetInt64(4)), reader.IsDBNull(5) ? null : Time(reader.GetInt64(5)))
            : null;
    }

    public async Task<IReadOnlyList<string>> ListProfileIdsAsync(string workspaceId, string? afterId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        // Two statements rather than "$after IS NULL OR id > $after", which would keep SQLite from a tight index range.
        await using var command = afterId is null
            ? Command(connection, "SELECT id FROM profiles WHERE workspace_id = $w ORDER BY id LIMIT $limit", ("$w", workspaceId), ("$limit", limit))
            : Command(connection, "SELECT id FROM profiles WHERE workspace_id = $w AND id > $after ORDER BY id LIMIT $limit", ("$w", workspaceId), ("$after", afterId), ("$limit", limit));
        return await ReadTextsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<ProfileIdentity>> LoadIdentitiesOfAsync(IReadOnlyCollection<string> profileIds, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        using var snapshot = connection.BeginTransaction(deferred: true);
        return SqliteProfileStore.ReadIdentities(connection.Handle!, profileIds.Distinct(StringComparer.Ordinal));
    }

    public async Task<IReadOnlyList<string>> DueForRecheckAsync(string workspaceId, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, "SELECT id FROM profiles WHERE workspace_id = $w AND recheck_at <= $now ORDER BY recheck_at, id LIMIT $limit",
            ("$w", workspaceId), ("$now", now.ToUnixTimeMilliseconds()), ("$limit", limit));
        return await ReadTextsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<AudienceMember>> GetMembersAsync(string workspaceId, string audienceKey, string? afterProfileId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, """
            SELECT profile_id, entered_at FROM audience_members
            WHERE workspace_id = $w AND audience_key = $k AND profile_id > $after ORDER BY profile_id LIMIT $limit
            """, ("$w", workspaceId), ("$k", audienceKey), ("$after", afterProfileId ?? ""), ("$limit", limit));
        var members = new List<AudienceMember>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            members.Add(new AudienceMember(workspaceId, audienceKey, reader.GetString(0), Time(reader.GetInt64(1))));
        }

        return members;
    }

    public async Task<IReadOnlyDictionary<string, long>> CountMembersAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, "SELECT audience_key, COUNT(*) FROM audience_members WHERE workspace_id = $w GROUP BY audience_key", ("$w", workspaceId));
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    public async Task<IReadOnlyList<AudienceMember>> GetMembershipsAsync(string workspaceId, string profileId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, """
            SELECT audience_key, profile_id, entered_at FROM audience_members
            WHERE workspace_id = $w AND profile_id = COALESCE((SELECT to_id FROM profile_redirects WHERE from_id = $p), $p)
            ORDER BY audience_key
            """, ("$w", workspaceId), ("$p", profileId));
        var members = new List<AudienceMember>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            members.Add(new AudienceMember(workspaceId, reader.GetString(0), reader.GetString(1), Time(reader.GetInt64(2))));
        }

        return members;
    }

    /// <summary>Bumps the workspace's definitions version and restarts its backfill at it; returns the new version.</summary>
    private static async Task<long> NextVersionAsync(SqliteConnection connection, string workspaceId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var bump = Command(connection, """
            INSERT INTO definition_versions (workspace_id, version) VALUES ($w, 1)
            ON CONFLICT (workspace_id) DO UPDATE SET version = version + 1 RETURNING version
            """, ("$w", workspaceId));
        var version = (long)(await bump.ExecuteScalarAsync(cancellationToken))!;
        await using var restart = Command(connection, """
            INSERT INTO backfills (workspace_id, version, cursor, done, total, started_at, finished_at)
            VALUES ($w, $v, NULL, 0, (SELECT COUNT(*) FROM profiles WHERE workspace_id = $w), $at, NULL)
            ON CONFLICT (workspace_id) DO UPDATE SET version = excluded.version, cursor = NULL, done = 0, total = excluded.total,
                started_at = excluded.started_at, finished_at = NULL
            """, ("$w", workspaceId), ("$v", version), ("$at", at.ToUnixTimeMilliseconds()));
        await restart.ExecuteNonQueryAsync(cancellationToken);
        return version;
    }

    private static async Task<List<StoredDefinition>> ReadDefinitionsAsync(SqliteCommand command, string workspaceId, CancellationToken cancellationToken)
    {
        var definitions = new List<StoredDefinition>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            definitions.Add(new StoredDefinition(workspaceId, DefinitionKinds.Parse(reader.GetString(0)), reader.GetString(1), reader.GetString(2),
                reader.GetInt64(3), Time(reader.GetInt64(4))));
        }

        return definitions;
    }

    private static async Task<List<string>> ReadTextsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var texts = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            texts.Add(reader.GetString(0));
        }

        return texts;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters) =>
        SqliteProfileStore.Command(connection, sql, parameters);

    private static DateTimeOffset Time(long milliseconds) => SqliteProfileStore.Time(milliseconds);
}
