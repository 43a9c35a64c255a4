using Samlet.Sources;

namespace Samlet.Storage.Sqlite;

/// <summary>Workspaces, sources and API keys in SQLite.</summary>
internal sealed class SqliteSourceStore(SqliteCdpStore store) : ISourceStore
{
    private const string SourceColumns = "id, workspace_id, name, write_key_hash, enabled, created_at";

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
        ExecuteAsync(
            // The pipeline partition, round robin (workspace.Partition is not taken: a store assigns its own).
            "INSERT INTO workspaces (id, name, created_at, pipeline_partition) VALUES ($id, $name, $created, (SELECT count(*) FROM workspaces) % $partitions)",
            cancellationToken,
            ("$id", workspace.Id),
            ("$name", workspace.Name),
            ("$created", workspace.CreatedAt.ToUnixTimeMilliseconds()),
            ("$partitions", Pipeline.PipelinePartitions.Count));

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
