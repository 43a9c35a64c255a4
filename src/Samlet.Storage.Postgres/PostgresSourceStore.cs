using Npgsql;
using Samlet.Sources;

namespace Samlet.Storage.Postgres;

/// <summary>Workspaces, sources and API keys in PostgreSQL.</summary>
internal sealed class PostgresSourceStore(NpgsqlDataSource dataSource) : ISourceStore
{
    private const string SourceColumns = "id, workspace_id, name, write_key_hash, enabled, created_at";
    private const string ApiKeyColumns = "id, workspace_id, name, key_hash, created_at";

    // One statement, so one transaction. The pipeline partition comes round robin (workspace.Partition is not taken: a
    // store assigns its own). The first workspace of a partition starts its checkpoint at the end of the log: the
    // partition's worker reads nothing while the partition is empty, and need not read the log from an old position to
    // reach the new workspace's events.
    private const string CreateWorkspace = """
        WITH created AS (
            INSERT INTO workspaces (id, name, created_at, pipeline_partition)
            VALUES ($1, $2, $3, (SELECT count(*) FROM workspaces) % $4)
            RETURNING pipeline_partition)
        INSERT INTO checkpoints (consumer, position)
        SELECT $5 || c.pipeline_partition, coalesce((SELECT max(seq) FROM events), 0) FROM created c
        WHERE NOT EXISTS (SELECT 1 FROM workspaces o WHERE o.pipeline_partition = c.pipeline_partition)
        ON CONFLICT (consumer) DO UPDATE SET position = excluded.position, version = checkpoints.version + 1
        """;

    public Task<IReadOnlyList<Workspace>> ListWorkspacesAsync(CancellationToken cancellationToken) =>
        BrokenConnections.RetryOnceAsync(dataSource, () => ReadWorkspacesAsync(cancellationToken));

    private async Task<IReadOnlyList<Workspace>> ReadWorkspacesAsync(CancellationToken cancellationToken)
    {
        var results = new List<Workspace>();
        await using var command = dataSource.CreateCommand("SELECT id, name, created_at, pipeline_partition FROM workspaces ORDER BY created_at, id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(new Workspace(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)) { Partition = reader.GetInt32(3) });
        }

        return results;
    }

    public Task CreateWorkspaceAsync(Workspace workspace, CancellationToken cancellationToken) =>
        ExecuteAsync(
            CreateWorkspace,
            cancellationToken,
            workspace.Id,
            workspace.Name,
            workspace.CreatedAt.UtcDateTime,
            Pipeline.PipelinePartitions.Count,
            Pipeline.PipelineWorker.Consumer + "/");

    public Task CreateSourceAsync(Source source, CancellationToken cancellationToken) =>
        ExecuteAsync(
            $"INSERT INTO sources ({SourceColumns}) VALUES ($1, $2, $3, $4, $5, $6)",
            cancellationToken,
            source.Id,
            source.WorkspaceId,
            source.Name,
            source.WriteKeyHash,
            source.Enabled,
            source.CreatedAt.UtcDateTime);

    public async Task<bool> UpdateSourceAsync(Source source, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            "UPDATE sources SET name = $2, write_key_hash = $3, enabled = $4 WHERE id = $1",
            cancellationToken,
            source.Id,
            source.Name,
            source.WriteKeyHash,
            source.Enabled) == 1;

    public async Task<Source?> GetSourceAsync(string id, CancellationToken cancellationToken) =>
        (await QuerySourcesAsync("id", id, cancellationToken)).SingleOrDefault();

    public async Task<Source?> FindSourceByWriteKeyHashAsync(string writeKeyHash, CancellationToken cancellationToken) =>
        (await QuerySourcesAsync("write_key_hash", writeKeyHash, cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<Source>> ListSourcesAsync(string workspaceId, CancellationToken cancellationToken) =>
        QuerySourcesAsync("workspace_id", workspaceId, cancellationToken);

    public Task CreateApiKeyAsync(ApiKey key, CancellationToken cancellationToken) =>
        ExecuteAsync(
            $"INSERT INTO api_keys ({ApiKeyColumns}) VALUES ($1, $2, $3, $4, $5)",
            cancellationToken,
            key.Id,
            key.WorkspaceId,
            key.Name,
            key.KeyHash,
            key.CreatedAt.UtcDateTime);

    public async Task<ApiKey?> FindApiKeyByHashAsync(string keyHash, CancellationToken cancellationToken) =>
        (await QueryApiKeysAsync("key_hash", keyHash, cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(string workspaceId, CancellationToken cancellationToken) =>
        QueryApiKeysAsync("workspace_id", workspaceId, cancellationToken);

    private Task<IReadOnlyList<ApiKey>> QueryApiKeysAsync(string column, string value, CancellationToken cancellationToken) =>
        BrokenConnections.RetryOnceAsync(dataSource, () => ReadApiKeysAsync(column, value, cancellationToken));

    private async Task<IReadOnlyList<ApiKey>> ReadApiKeysAsync(string column, string value, CancellationToken cancellationToken)
    {
        var results = new List<ApiKey>();
        await using var command = dataSource.CreateCommand($"SELECT {ApiKeyColumns} FROM api_keys WHERE {column} = $1 ORDER BY created_at, id");
        command.Parameters.Add(new() { Value = value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(new ApiKey(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return results;
    }

    private Task<IReadOnlyList<Source>> QuerySourcesAsync(string column, string value, CancellationToken cancellationToken) =>
        BrokenConnections.RetryOnceAsync(dataSource, () => ReadSourcesAsync(column, value, cancellationToken));

    private async Task<IReadOnlyList<Source>> ReadSourcesAsync(string column, string value, CancellationToken cancellationToken)
    {
        var results = new List<Source>();
        await using var command = dataSource.CreateCommand($"SELECT {SourceColumns} FROM sources WHERE {column} = $1 ORDER BY created_at, id");
        command.Parameters.Add(new() { Value = value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(new Source(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetBoolean(4),
                reader.GetFieldValue<DateTimeOffset>(5)));
        }

        return results;
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new() { Value = value });
        }

        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (NpgsqlException e) when (BrokenConnections.IsBroken(e))
        {
            // Not repeated (it may have committed), but the other pooled connections are likely dead too.
            dataSource.Clear();
            throw;
        }
    }
}
