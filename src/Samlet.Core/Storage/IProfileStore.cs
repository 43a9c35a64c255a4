using Samlet.Events;
using Samlet.Identity;
using Samlet.Pipeline;
using Samlet.Profiles;

namespace Samlet.Storage;

/// <summary>
/// Derived state of the identity and profile stages: what the pipeline worker loads for a batch, what the Profile API
/// reads. Written only through <see cref="ICdpStore.ApplyAsync(Pipeline.ChangeSet, CancellationToken)"/>. A merged-away profile id stays readable and leads to
/// its survivor.
/// </summary>
public interface IProfileStore
{
    /// <summary>The log position up to which <paramref name="consumer"/> has applied events (0 before the first batch).</summary>
    Task<long> GetCheckpointAsync(string consumer, CancellationToken cancellationToken);

    /// <summary>The checkpoint's position and version (which every write of it raises, also one that leaves the position); (0, 0) before the first.</summary>
    Task<CheckpointState> ReadCheckpointAsync(string consumer, CancellationToken cancellationToken);

    /// <summary>The live profiles holding any of <paramref name="keys"/>, each with all its identifiers.</summary>
    Task<IReadOnlyList<ProfileIdentity>> LoadIdentitiesAsync(string workspaceId, IReadOnlyCollection<Identifier> keys, CancellationToken cancellationToken);

    /// <summary>Live profiles by id (unknown and merged-away ids are skipped).</summary>
    Task<IReadOnlyList<ProfileState>> LoadProfilesAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

    Task<IReadOnlyList<AccountState>> LoadAccountsAsync(string workspaceId, IReadOnlyCollection<string> groupIds, CancellationToken cancellationToken);

    /// <summary>The live profile holding <paramref name="identifier"/> (an identifier of a merged-away profile is held by its survivor).</summary>
    Task<string?> FindProfileIdAsync(string workspaceId, Identifier identifier, CancellationToken cancellationToken);

    /// <summary>A live profile of the workspace; a merged-away id gives its survivor.</summary>
    Task<ProfileState?> GetProfileAsync(string workspaceId, string profileId, CancellationToken cancellationToken);

    /// <summary>A profile's identifiers, in the order they were added.</summary>
    Task<IReadOnlyList<HeldIdentifier>> GetIdentifiersAsync(string profileId, CancellationToken cancellationToken);

    /// <summary>A profile's events, newest first, before the log position <paramref name="before"/> (exclusive) when given.</summary>
    Task<IReadOnlyList<StoredEvent>> GetEventsAsync(string profileId, long? before, int limit, CancellationToken cancellationToken);

    /// <summary>A profile's identity history, oldest first.</summary>
    Task<IReadOnlyList<IdentityRecord>> GetHistoryAsync(string profileId, CancellationToken cancellationToken);

    /// <summary>The accounts (group ids) a profile belongs to.</summary>
    Task<IReadOnlyList<AccountMember>> GetAccountsOfAsync(string profileId, CancellationToken cancellationToken);

    /// <summary>The profiles linked to an account (its group id), earliest link first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AccountMember>> GetMembersAsync(string workspaceId, string groupId, int limit, CancellationToken cancellationToken);

    Task<AccountState?> GetAccountAsync(string workspaceId, string groupId, CancellationToken cancellationToken);

    /// <summary>Profiles holding an identifier whose value starts with <paramref name="text"/> (any case for e-mails), then profiles with a trait value containing it.</summary>
    Task<IReadOnlyList<string>> SearchAsync(string workspaceId, string text, int limit, CancellationToken cancellationToken);

    Task<long> CountProfilesAsync(string workspaceId, CancellationToken cancellationToken);

    Task<IReadOnlyList<IdentityCut>> GetCutsAsync(string workspaceId, CancellationToken cancellationToken);

    /// <summary>The workspace's identity rules as JSON, or null for the defaults.</summary>
    Task<string?> GetIdentityRulesAsync(string workspaceId, CancellationToken cancellationToken);

    Task SetIdentityRulesAsync(string workspaceId, string rulesJson, CancellationToken cancellationToken);

    /// <summary>For a rebuild: removes all derived state and sets the checkpoints of <paramref name="consumers"/> to 0. Cuts and rules stay.</summary>
    Task ResetAsync(IReadOnlyCollection<string> consumers, CancellationToken cancellationToken);
}
