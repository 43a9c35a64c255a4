using Samlet.Sources;

namespace Samlet.Storage.Sqlite;

/// <summary>Workspaces, sources and API keys in SQLite.</summary>
internal sealed class SqliteSourceStore(SqliteCdpStore store) : ISourceStore
{
    private const string SourceColumns = "id, workspace_id, name, write_key_hash, enabled, created_at";

    // The pipeline partition comes round robin (workspace.Partition is not taken: a store assigns its own). The first
    // workspace of a partition starts its checkpoint at the end of the log: the partition's worker reads nothing while
    // the partition is empty, and need not read the log from an old position to reach the new workspace's events.
    private const string CreateWorkspace = """
        INSERT INTO workspaces (id, name, created_at, pipeline_partition) VALUES ($id, $name, $created, (SELECT count(*) FROM workspaces) % $partitions);
        INSERT INTO checkpoints (consumer, position)
        SELECT $consumer || w.pipeline_partition, coalesce((SELECT max(seq) FROM events), 0) FROM workspaces w
        WHERE w.id = $id AND NOT EXISTS (SELECT 1 FROM workspaces o WHERE o.pipeline_partition = w.pipeline_partition AND o.id <> w.id)
        ON CONFLICT (consumer) DO UPDATE SET position = excluded.position, version = checkpoints.version + 1;
        """;

    public async Task<IReadOnlyList<Workspace>> ListWorkspacesAsync(CancellationToken cancellationToken)
    {
        var results = new List<Workspace>();
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, created_at, pipeline_partition FROM workspaces ORDER BY created_at, id";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(new Workspace(reader.GetString(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2))) { Partition = reader.GetInt32(3) });
        }

        return results;
    }

    public Task CreateWorkspaceAsync(Workspace workspace, CancellationToken cancellationToken) =>
        store.WriteAsync(connection => SqliteCdpStore.InTransactionAsync(connection, async () =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = CreateWorkspace;
            command.Parameters.AddWithValue("$id", workspace.Id);
            command.Parameters.AddWithValue("$name", workspace.Name);
            command.Parameters.AddWithValue("$created", workspace.CreatedAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$partitions", Pipeline.PipelinePartitions.Count);
            command.Parameters.AddWithValue("$consumer", Pipeline.PipelineWorker.Consumer + "/");
            await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken), cancellationToken);

    public Task CreateSourceAsync(Source source, CancellationToken cancellationToken) =>
        ExecuteAsync(
            $"INSERT INTO sources ({SourceColumns}) VALUES ($id, $workspace, $name, $hash, $enabled, $created)",
            cancellationToken,
            ("$id", source.Id),
            ("$workspace", source.WorkspaceId),
            ("$name", source.Name),
            ("$hash", source.WriteKeyHash),
            ("$enabled", source.Enabled),
            ("$created", source.CreatedAt.ToUnixTimeMilliseconds()));

    public async Task<bool> UpdateSourceAsync(Source source, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            "UPDATE sources SET name = $name, write_key_hash = $hash, enabled = $enabled WHERE id = $id",
            cancellationToken,
            ("$id", source.Id),
            ("$name", source.Name),
            ("$hash", source.WriteKeyHash),
            ("$enabled", source.Enabled)) == 1;

    public async Task<Source?> GetSourceAsync(string id, CancellationToken cancellationToken) =>
        (await QuerySourcesAsync("id = $p", id, cancellationToken)).SingleOrDefault();

    public async Task<Source?> FindSourceByWriteKeyHashAsync(string writeKeyHash, CancellationToken cancellationToken) =>
        (await QuerySourcesAsync("write_key_hash = $p", writeKeyHash, cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<Source>> ListSourcesAsync(string workspaceId, CancellationToken cancellationToken) =>
        QuerySourcesAsync("workspace_id = $p", workspaceId, cancellationToken);

    public Task CreateApiKeyAsync(ApiKey key, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "INSERT INTO api_keys (id, workspace_id, name, key_hash, created_at) VALUES ($id, $workspace, $name, $hash, $created)",
            cancellationToken,
            ("$id", key.Id),
            ("$workspace", key.WorkspaceId),
            ("$name", key.Name),
            ("$hash", key.KeyHash),
            ("$created", key.CreatedAt.ToUnixTimeMilliseconds()));

    public async Task<ApiKey?> FindApiKeyByHashAsync(string keyHash, CancellationToken cancellationToken) =>
        (await QueryApiKeysAsync("key_hash = $p", keyHash, cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(string workspaceId, CancellationToken cancellationToken) =>
        QueryApiKeysAsync("workspace_id = $p", workspaceId, cancellationToken);

    private async Task<IReadOnlyList<ApiKey>> QueryApiKeysAsync(string condition, string value, CancellationToken cancellationToken)
    {
        var results = new List<ApiKey>();
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, workspace_id, name, key_hash, created_at FROM api_keys WHERE {condition} ORDER BY created_at, id";
        command.Parameters.AddWithValue("$p", value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(new ApiKey(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4))));
        }

        return results;
    }

    private async Task<IReadOnlyList<Source>> QuerySourcesAsync(string condition, string value, CancellationToken cancellationToken)
    {
        var results = new List<Source>();
        await using var connection = await store.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SourceColumns} FROM sources WHERE {condition} ORDER BY created_at, id";
        command.Parameters.AddWithValue("$p", value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(new Source(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetBoolean(4),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
        }

        return results;
    }

    private Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters) =>
        store.WriteAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
