using Samlet.Sources;

namespace Samlet.Storage;

/// <summary>Workspaces, their sources and API keys.</summary>
public interface ISourceStore
{
    Task<IReadOnlyList<Workspace>> ListWorkspacesAsync(CancellationToken cancellationToken);

    Task CreateWorkspaceAsync(Workspace workspace, CancellationToken cancellationToken);

    Task CreateSourceAsync(Source source, CancellationToken cancellationToken);

    /// <summary>Replaces a source's name, enabled flag and write-key hash.</summary>
    Task<bool> UpdateSourceAsync(Source source, CancellationToken cancellationToken);

    Task<Source?> GetSourceAsync(string id, CancellationToken cancellationToken);

    Task<Source?> FindSourceByWriteKeyHashAsync(string writeKeyHash, CancellationToken cancellationToken);

    Task<IReadOnlyList<Source>> ListSourcesAsync(string workspaceId, CancellationToken cancellationToken);

    Task CreateApiKeyAsync(ApiKey key, CancellationToken cancellationToken);

    Task<ApiKey?> FindApiKeyByHashAsync(string keyHash, CancellationToken cancellationToken);

    /// <summary>A workspace's API keys (hashed), oldest first.</summary>
    Task<IReadOnlyList<ApiKey>> ListApiKeysAsync(string workspaceId, CancellationToken cancellationToken);
}
