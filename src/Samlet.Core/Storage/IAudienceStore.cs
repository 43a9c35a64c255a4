using Samlet.Audiences;
using Samlet.Identity;

namespace Samlet.Storage;

/// <summary>
/// Computed-trait and audience definitions, audience memberships, and what the scheduled passes of the audience stage
/// need. Memberships and backfill progress are written only through <see cref="ICdpStore.ApplyAsync(Pipeline.ChangeSet, CancellationToken)"/>.
/// </summary>
public interface IAudienceStore
{
    Task<IReadOnlyList<StoredDefinition>> ListDefinitionsAsync(string workspaceId, CancellationToken cancellationToken);

    Task<StoredDefinition?> GetDefinitionAsync(string workspaceId, DefinitionKind kind, string key, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts or replaces a definition (its <see cref="StoredDefinition.Version"/> becomes the workspace's new
    /// definitions version) and, in the same transaction, restarts the workspace's backfill at that version.
    /// </summary>
    Task<StoredDefinition> PutDefinitionAsync(string workspaceId, DefinitionKind kind, string key, string json, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Removes a definition (false when there was none), bumps the workspace's definitions version and restarts its backfill, in one transaction. Memberships of a removed audience go with it.</summary>
    Task<bool> DeleteDefinitionAsync(string workspaceId, DefinitionKind kind, string key, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Goes up by one with every definition change of the workspace (0: never changed).</summary>
    Task<long> GetDefinitionsVersionAsync(string workspaceId, CancellationToken cancellationToken);

    /// <summary>The workspace's current backfill (null before the first definition change).</summary>
    Task<Backfill?> GetBackfillAsync(string workspaceId, CancellationToken cancellationToken);

    /// <summary>Live profile ids of the workspace in ordinal order, after <paramref name="afterId"/> (exclusive) when given.</summary>
    Task<IReadOnlyList<string>> ListProfileIdsAsync(string workspaceId, string? afterId, int limit, CancellationToken cancellationToken);

    /// <summary>Live profiles with all their identifiers, by profile id (unknown and merged-away ids are skipped).</summary>
    Task<IReadOnlyList<ProfileIdentity>> LoadIdentitiesOfAsync(IReadOnlyCollection<string> profileIds, CancellationToken cancellationToken);

    /// <summary>Live profiles of the workspace whose <c>RecheckAt</c> is at or before <paramref name="now"/>, earliest first.</summary>
    Task<IReadOnlyList<string>> DueForRecheckAsync(string workspaceId, DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>An audience's members ordered by profile id, after <paramref name="afterProfileId"/> (exclusive) when given.</summary>
    Task<IReadOnlyList<AudienceMember>> GetMembersAsync(string workspaceId, string audienceKey, string? afterProfileId, int limit, CancellationToken cancellationToken);

    /// <summary>Members per audience key of the workspace (audiences without members are absent).</summary>
    Task<IReadOnlyDictionary<string, long>> CountMembersAsync(string workspaceId, CancellationToken cancellationToken);

    /// <summary>The audiences a profile is in (a merged-away id gives its survivor's).</summary>
    Task<IReadOnlyList<AudienceMember>> GetMembershipsAsync(string workspaceId, string profileId, CancellationToken cancellationToken);
}
