using Samlet.Identity;
using Samlet.Profiles;

namespace Samlet.Pipeline;

/// <summary>
/// Batches a worker has decided but not yet applied: their change sets, which the store applies later in order and in
/// one transaction, and, per workspace, what they left in memory (<see cref="WorkspaceOverlay"/>). The next batch is
/// decided against the overlay first and the store second, so deferring the writes changes when they happen and
/// nothing else: the store's copy of a profile the overlay does not hold is still current.
/// </summary>
internal sealed class PendingChanges
{
    private readonly Dictionary<string, WorkspaceOverlay> _overlays = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _definitionsVersions = new(StringComparer.Ordinal);

    public List<ChangeSet> ChangeSets { get; } = [];

    /// <summary>Events read by the pending batches.</summary>
    public int EventCount { get; set; }

    public WorkspaceOverlay Of(string workspaceId)
    {
        if (!_overlays.TryGetValue(workspaceId, out var overlay))
        {
            _overlays[workspaceId] = overlay = new WorkspaceOverlay();
        }

        return overlay;
    }

    /// <summary>
    /// Notes the definitions version a batch of the workspace was decided with; false when an earlier pending batch used
    /// another (the overlay's aggregates and memberships follow the old definitions, so the pending batches go first).
    /// </summary>
    public bool SameDefinitions(string workspaceId, long version) =>
        _definitionsVersions.TryAdd(workspaceId, version) || _definitionsVersions[workspaceId] == version;

    /// <summary>
    /// Adds a batch's change set. A profile written whole by an earlier pending change set and again by this one is left
    /// out of the earlier one: both would write the same object (the overlay's state, changed since), and nothing in
    /// between reads the row.
    /// </summary>
    public void Add(ChangeSet changes, int events)
    {
        if (changes.Profiles.Count > 0 && ChangeSets.Count > 0)
        {
            var again = changes.Profiles.ToHashSet(ReferenceEqualityComparer.Instance);
            foreach (var earlier in ChangeSets)
            {
                earlier.Profiles.RemoveAll(again.Contains);
            }
        }

        ChangeSets.Add(changes);
        EventCount += events;
    }
}

/// <summary>
/// One workspace's profiles as the pending batches left them: the identities and states of every profile they loaded or
/// touched (each loaded whole, so an identifier the overlay does not know is held by no profile it holds), the ids they
/// merged away, and the accounts they loaded or touched.
/// </summary>
internal sealed class WorkspaceOverlay
{
    private readonly Dictionary<Identifier, string> _owners = [];
    private readonly Dictionary<string, ProfileIdentity> _identities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ProfileState> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _redirects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AccountState> _accounts = new(StringComparer.Ordinal);

    /// <summary>The profile holding <paramref name="identifier"/> in the overlay, or null (then no profile the overlay holds has it).</summary>
    public ProfileIdentity? IdentityHolding(Identifier identifier) =>
        _owners.TryGetValue(identifier, out var owner) ? _identities[owner] : null;

    public ProfileIdentity? IdentityOf(string profileId) => _identities.GetValueOrDefault(profileId);

    public ProfileState? StateOf(string profileId) => _states.GetValueOrDefault(profileId);

    public AccountState? AccountOf(string groupId) => _accounts.GetValueOrDefault(groupId);

    /// <summary>Whether the overlay holds the profile or merged it away (then the store's copy of it is out of date).</summary>
    public bool Knows(string profileId) => _identities.ContainsKey(profileId) || _states.ContainsKey(profileId) || _redirects.ContainsKey(profileId);

    /// <summary>The live state of <paramref name="profileId"/> or of the profile it was merged into, when the overlay holds it.</summary>
    public ProfileState? Live(string profileId)
    {
        while (_redirects.TryGetValue(profileId, out var next))
        {
            profileId = next;
        }

        return _states.GetValueOrDefault(profileId);
    }

    /// <summary>Takes in what one batch's decisions left: its final identities and states, its merges, its accounts.</summary>
    public void Keep(IdentitySnapshot snapshot, IEnumerable<ProfileState> states, IReadOnlyDictionary<string, string> redirects, IEnumerable<AccountState> accounts)
    {
        foreach (var (from, to) in redirects)
        {
            _redirects[from] = to;
            _identities.Remove(from);
            _states.Remove(from);
        }

        foreach (var identity in snapshot.Profiles)
        {
            _identities[identity.Id] = identity;
            foreach (var held in identity.Identifiers)
            {
                _owners[held.Identifier] = identity.Id;
            }
        }

        foreach (var state in states)
        {
            _states[state.Id] = state;
        }

        foreach (var account in accounts)
        {
            _accounts[account.GroupId] = account;
        }
    }
}
