using Npgsql;
using Samlet.Audiences;
using Samlet.Identity;

namespace Samlet.Storage.Postgres;

/// <summary>
/// Definitions, backfills and audience memberships in PostgreSQL (tables of <c>0003_audiences.sql</c>), read the way
/// <c>SqliteAudienceStore</c> reads them. Reads are repeated once on a connection the server dropped; a definition
/// change is not (it bumps a version), unless its COMMIT was never sent.
/// </summary>
internal sealed class PostgresAudienceStore(NpgsqlDataSource dataSource) : IAudienceStore
{
    private const string DefinitionColumns = "kind, key, json, version, updated_at";

    public async Task<IReadOnlyList<StoredDefinition>> ListDefinitionsAsync(string workspaceId, CancellationToken cancellationToken) =>
        await dataSource.QueryAsync($"SELECT {DefinitionColumns} FROM definitions WHERE workspace_id = $1 ORDER BY kind, key",
            r => ReadDefinition(r, workspaceId), cancellationToken, workspaceId);

    public async Task<StoredDefinition?> GetDefinitionAsync(string workspaceId, DefinitionKind kind, string key, CancellationToken cancellationToken) =>
        (await dataSource.QueryAsync($"SELECT {DefinitionColumns} FROM definitions WHERE workspace_id = $1 AND kind = $2 AND key = $3",
            r => ReadDefinition(r, workspaceId), cancellationToken, workspaceId, kind.ToWire(), key)).FirstOrDefault();

    public Task<StoredDefinition> PutDefinitionAsync(string workspaceId, DefinitionKind kind, string key, string json, DateTimeOffset at, CancellationToken cancellationToken) =>
        InTransactionAsync(async connection =>
        {
            var version = await NextVersionAsync(connection, workspaceId, at, cancellationToken);
            await using var put = Command(connection, $"""
                INSERT INTO definitions (workspace_id, kind, key, json, version, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (workspace_id, kind, key) DO UPDATE SET json = excluded.json, version = excluded.version, updated_at = excluded.updated_at
                RETURNING {DefinitionColumns}
                """, workspaceId, kind.ToWire(), key, json, version, at.UtcDateTime);
            await using var reader = await put.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return ReadDefinition(reader, workspaceId);
        }, cancellationToken);

    public Task<bool> DeleteDefinitionAsync(string workspaceId, DefinitionKind kind, string key, DateTimeOffset at, CancellationToken cancellationToken) =>
        InTransactionAsync(async connection =>
        {
            await using (var delete = Command(connection, "DELETE FROM definitions WHERE workspace_id = $1 AND kind = $2 AND key = $3", workspaceId, kind.ToWire(), key))
            {
                if (await delete.ExecuteNonQueryAsync(cancellationToken) != 1)
                {
                    return false;
                }
            }

            if (kind == DefinitionKind.Audience)
            {
                await using var members = Command(connection, "DELETE FROM audience_members WHERE workspace_id = $1 AND audience_key = $2", workspaceId, key);
                await members.ExecuteNonQueryAsync(cancellationToken);
            }

            await NextVersionAsync(connection, workspaceId, at, cancellationToken);
            return true;
        }, cancellationToken);

    public async Task<long> GetDefinitionsVersionAsync(string workspaceId, CancellationToken cancellationToken) =>
        (await dataSource.QueryAsync("SELECT version FROM definition_versions WHERE workspace_id = $1", r => r.GetInt64(0), cancellationToken, workspaceId)).FirstOrDefault();

    public async Task<Backfill?> GetBackfillAsync(string workspaceId, CancellationToken cancellationToken) =>
        (await dataSource.QueryAsync("SELECT version, cursor, done, total, started_at, finished_at FROM backfills WHERE workspace_id = $1",
            r => new Backfill(workspaceId, r.GetInt64(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetInt64(2), r.GetInt64(3),
                PostgresProfileStore.Time(r, 4), PostgresProfileStore.NullableTime(r, 5)), cancellationToken, workspaceId)).FirstOrDefault();

    // Profile ids are non-empty, so "after ''" is from the start; the index (workspace_id, id) gives one tight range.
    public async Task<IReadOnlyList<string>> ListProfileIdsAsync(string workspaceId, string? afterId, int limit, CancellationToken cancellationToken) =>
        await dataSource.QueryAsync("SELECT id FROM profiles WHERE workspace_id = $1 AND id > $2 ORDER BY id LIMIT $3",
            r => r.GetString(0), cancellationToken, workspaceId, afterId ?? "", limit);

    public async Task<IReadOnlyList<ProfileIdentity>> LoadIdentitiesOfAsync(IReadOnlyCollection<string> profileIds, CancellationToken cancellationToken)
    {
        if (profileIds.Count == 0)
        {
            return [];
        }

        var rows = await dataSource.QueryAsync("""
            SELECT p.id, p.created_at, i.type, i.value, i.added_at
            FROM profiles p LEFT JOIN profile_identifiers i ON i.profile_id = p.id
            WHERE p.id = ANY($1)
            ORDER BY p.id, i.added_at, i.type, i.value
            """, r => (Id: r.GetString(0), CreatedAt: PostgresProfileStore.Time(r, 1),
                Held: r.IsDBNull(2) ? (HeldIdentifier?)null : new HeldIdentifier(new Identifier(r.GetString(2), r.GetString(3)), PostgresProfileStore.Time(r, 4))),
            cancellationToken, (object)profileIds.Distinct(StringComparer.Ordinal).ToArray());
        var found = rows.GroupBy(r => r.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new ProfileIdentity(g.Key, g.First().CreatedAt, [.. g.Where(r => r.Held is not null).Select(r => r.Held!.Value)]), StringComparer.Ordinal);
        // In the order asked for, as SQLite answers.
        return [.. profileIds.Distinct(StringComparer.Ordinal).Where(found.ContainsKey).Select(id => found[id])];
    }

    public async Task<IReadOnlyList<string>> DueForRecheckAsync(string workspaceId, DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        await dataSource.QueryAsync("SELECT id FROM profiles WHERE workspace_id = $1 AND recheck_at <= $2 ORDER BY recheck_at, id LIMIT $3",
            r => r.GetString(0), cancellationToken, workspaceId, now.UtcDateTime, limit);

    public async Task<IReadOnlyList<AudienceMember>> GetMembersAsync(string workspaceId, string audienceKey, string? afterProfileId, int limit, CancellationToken cancellationToken) =>
        await dataSource.QueryAsync("""
            SELECT profile_id, entered_at FROM audience_members
            WHERE workspace_id = $1 AND audience_key = $2 AND profile_id > $3 ORDER BY profile_id LIMIT $4
            """, r => new AudienceMember(workspaceId, audienceKey, r.GetString(0), PostgresProfileStore.Time(r, 1)),
            cancellationToken, workspaceId, audienceKey, afterProfileId ?? "", limit);

    public async Task<IReadOnlyDictionary<string, long>> CountMembersAsync(string workspaceId, CancellationToken cancellationToken) =>
        (await dataSource.QueryAsync("SELECT audience_key, count(*) FROM audience_members WHERE workspace_id = $1 GROUP BY audience_key",
            r => (Key: r.GetString(0), Count: r.GetInt64(1)), cancellationToken, workspaceId)).ToDictionary(r => r.Key, r => r.Count, StringComparer.Ordinal);

    public async Task<IReadOnlyList<AudienceMember>> GetMembershipsAsync(string workspaceId, string profileId, CancellationToken cancellationToken) =>
        await dataSource.QueryAsync("""
            SELECT audience_key, profile_id, entered_at FROM audience_members
            WHERE workspace_id = $1 AND profile_id = COALESCE((SELECT to_id FROM profile_redirects WHERE from_id = $2), $2)
            ORDER BY audience_key
            """, r => new AudienceMember(workspaceId, r.GetString(0), r.GetString(1), PostgresProfileStore.Time(r, 2)), cancellationToken, workspaceId, profileId);

    /// <summary>Bumps the workspace's definitions version and restarts its backfill at it; returns the new version.</summary>
    private static async Task<long> NextVersionAsync(NpgsqlConnection connection, string workspaceId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        // The upsert takes the version row's lock: concurrent changes of one workspace get consecutive versions, and
        // each restarts the backfill after the one before it.
        await using var bump = Command(connection, """
            INSERT INTO definition_versions (workspace_id, version) VALUES ($1, 1)
            ON CONFLICT (workspace_id) DO UPDATE SET version = definition_versions.version + 1 RETURNING version
            """, workspaceId);
        var version = (long)(await bump.ExecuteScalarAsync(cancellationToken))!;
        await using var restart = Command(connection, """
            INSERT INTO backfills (workspace_id, version, cursor, done, total, started_at, finished_at)
            VALUES ($1, $2, NULL, 0, (SELECT count(*) FROM profiles WHERE workspace_id = $1), $3, NULL)
            ON CONFLICT (workspace_id) DO UPDATE SET version = excluded.version, cursor = NULL, done = 0, total = excluded.total,
                started_at = excluded.started_at, finished_at = NULL
            """, workspaceId, version, at.UtcDateTime);
        await restart.ExecuteNonQueryAsync(cancellationToken);
        return version;
    }

    private async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        var committing = false;
        async Task<T> AttemptAsync()
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var result = await work(connection);
            committing = true;
            await transaction.CommitAsync(cancellationToken);
            return result;
        }

        try
        {
            return await AttemptAsync();
        }
        catch (NpgsqlException e) when (!committing && BrokenConnections.IsBroken(e))
        {
            // COMMIT was not sent, so nothing is stored: run it once more on a fresh connection.
            dataSource.Clear();
            return await AttemptAsync();
        }
    }

    private static StoredDefinition ReadDefinition(NpgsqlDataReader reader, string workspaceId) =>
        new(workspaceId, DefinitionKinds.Parse(reader.GetString(0)), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), PostgresProfileStore.Time(reader, 4));

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new() { Value = value });
        }

        return command;
    }
}
