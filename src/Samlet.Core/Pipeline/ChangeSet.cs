using Samlet.Audiences;
using Samlet.Events;
using Samlet.Identity;
using Samlet.Profiles;

namespace Samlet.Pipeline;

/// <summary>
/// The whole outcome of one pipeline batch (or one unmerge), applied by <c>ICdpStore.ApplyAsync</c> in one
/// transaction, in this order: move the <see cref="Checkpoints"/> (first, so that a stale change set is refused before it
/// writes anything); delete <see cref="Deleted"/>; follow <see cref="Redirects"/>; write the rest. Profile ids in it are
/// final: a profile created and merged away within the batch appears only as a redirect.
/// </summary>
public sealed class ChangeSet
{
    /// <summary>
    /// The checkpoint moves that make this batch done (one per partition the worker holds); an unmerge, which replays
    /// processed events, moves its partition's nowhere (from p to p) so that it cannot interleave with a batch. A store
    /// refuses the whole change set when any checkpoint is not where its move expects it.
    /// </summary>
    public List<CheckpointMove> Checkpoints { get; } = [];

    /// <summary>Profiles whose derived state is removed first (with every tombstone that points at them): an unmerge re-derives them.</summary>
    public List<string> Deleted { get; } = [];

    /// <summary>Merged-away profiles: everything they held moves to the survivor, and their id keeps pointing at it.</summary>
    public List<ProfileRedirect> Redirects { get; } = [];

    /// <summary>Profiles written whole (insert or replace).</summary>
    public List<ProfileState> Profiles { get; } = [];

    /// <summary>Identifiers no profile held before.</summary>
    public List<ProfileIdentifier> Identifiers { get; } = [];

    /// <summary>Which profile each event of the batch belongs to (the timeline).</summary>
    public List<EventLink> Events { get; } = [];

    public List<IdentityRecord> History { get; } = [];

    /// <summary>Accounts written whole.</summary>
    public List<AccountState> Accounts { get; } = [];

    /// <summary>Person ↔ account links (kept if already there).</summary>
    public List<AccountMember> Members { get; } = [];

    public List<IdentityCut> Cuts { get; } = [];

    /// <summary>Audience entries (insert, kept if already there) and exits (delete).</summary>
    public List<MembershipChange> Memberships { get; } = [];

    /// <summary>Events the pipeline itself produces (<c>Audience Entered</c>/<c>Exited</c>), appended to the event log in the same transaction; a (source, messageId) already in the log is skipped.</summary>
    public List<CollectedEvent> Emitted { get; } = [];

    /// <summary>Progress of a workspace's backfill (replaces the stored row when its version matches; a stale one is ignored).</summary>
    public Backfill? Backfill { get; set; }
}

/// <summary>
/// Moves a consumer's checkpoint from <see cref="Expected"/> to <see cref="Position"/> and raises its version; a store
/// that finds another position, or another version than <see cref="ExpectedVersion"/> when given, refuses the whole
/// change set.
/// </summary>
public sealed record CheckpointMove(string Consumer, long Expected, long Position, long? ExpectedVersion = null);

/// <summary>Where a consumer's checkpoint is, and how many times it was written (<see cref="CheckpointMove"/>).</summary>
public sealed record CheckpointState(long Position, long Version);

public sealed record ProfileRedirect(string WorkspaceId, string From, string To);

public sealed record ProfileIdentifier(string WorkspaceId, string ProfileId, Identifier Identifier, DateTimeOffset AddedAt);

public sealed record EventLink(string ProfileId, long Sequence);

public sealed record AccountMember(string WorkspaceId, string GroupId, string ProfileId, DateTimeOffset LinkedAt);

/// <summary>A profile entering (<see cref="Entered"/>) or leaving an audience at <see cref="At"/>.</summary>
public sealed record MembershipChange(string WorkspaceId, string AudienceKey, string ProfileId, bool Entered, DateTimeOffset At);
