using Samlet.Identity;
using Samlet.Profiles;

namespace Samlet.Pipeline;

/// <summary>
/// One workspace's derived state as the worker's batches left it (<see cref="DerivedStateCache"/>): the identities and
/// states of every profile they loaded or touched (each loaded whole, so an identifier the overlay does not know is held
/// by no profile it holds), the ids they merged away, and the accounts they loaded or touched. When
/// <see cref="Complete"/>, the store holds nothing else of the workspace.
/// </summary>
internal sealed class WorkspaceOverlay(bool complete)
{
    private readonly Dictionary<Identifier, string> _owners = [];
    private readonly Dictionary<string, ProfileIdentity> _identities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ProfileState> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _redirects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AccountState> _accounts = new(StringComparer.Ordinal);

    /// <summary>True when the store holds no profile, identifier or account of the workspace that the overlay lacks (after a reset).</summary>
    public bool Complete { get; } = complete;

    public int ProfileCount => _states.Count;

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
