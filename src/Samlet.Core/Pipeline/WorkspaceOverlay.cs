using Samlet.Identity;
using Samlet.Profiles;

namespace Samlet.Pipeline;

/// <summary>
/// One workspace's derived state as the worker's batches left it (<see cref="DerivedStateCache"/>): the identities and
/// states of the profiles they loaded or touched, each loaded whole, the ids they merged away, and the accounts they
/// loaded or touched. Profiles not used for a while go back to the store (<see cref="Evict"/>) but stay known: which
/// identifiers they hold is kept, so an identifier the overlay does not know is held by no profile it knows. When
/// <see cref="Complete"/>, the store holds no profile, identifier or account of the workspace the overlay does not know.
/// </summary>
internal sealed class WorkspaceOverlay(bool complete)
{
    private readonly Dictionary<Identifier, string> _owners = [];
    private readonly Dictionary<string, ProfileIdentity> _identities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ProfileState> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _used = new(StringComparer.Ordinal);
    private readonly HashSet<string> _evicted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _redirects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AccountState> _accounts = new(StringComparer.Ordinal);
    private long _uses;

    /// <summary>True when the store holds no profile, identifier or account of the workspace that the overlay does not know (after a reset).</summary>
    public bool Complete { get; } = complete;

    /// <summary>Profiles held in memory (not evicted).</summary>
    public int ProfileCount => _states.Count;

    /// <summary>Identifiers known, of held and evicted profiles.</summary>
    public int IdentifierCount => _owners.Count;

    /// <summary>The profile holding <paramref name="identifier"/> as far as the overlay knows (held or evicted), or null.</summary>
    public string? OwnerOf(Identifier identifier) => _owners.GetValueOrDefault(identifier);

    /// <summary>A held profile's identity (null when evicted or unknown: then the store's copy is current).</summary>
    public ProfileIdentity? IdentityOf(string profileId) => _identities.GetValueOrDefault(profileId);

    public ProfileState? StateOf(string profileId) => _states.GetValueOrDefault(profileId);

    public AccountState? AccountOf(string groupId) => _accounts.GetValueOrDefault(groupId);

    /// <summary>Whether the overlay holds the profile, evicted it, or merged it away.</summary>
    public bool Knows(string profileId) =>
        _identities.ContainsKey(profileId) || _states.ContainsKey(profileId) || _evicted.Contains(profileId) || _redirects.ContainsKey(profileId);

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
        var use = ++_uses;
        foreach (var (from, to) in redirects)
        {
            _redirects[from] = to;
            _identities.Remove(from);
            _states.Remove(from);
            _used.Remove(from);
            _evicted.Remove(from);
        }

        foreach (var identity in snapshot.Profiles)
        {
            _identities[identity.Id] = identity;
            _evicted.Remove(identity.Id);
            _used[identity.Id] = use;
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

    /// <summary>
    /// Sends all but the <paramref name="keep"/> most recently used profiles back to the store (only after a commit: the
    /// store then holds what the overlay held). Their identifiers stay known.
    /// </summary>
    public void Evict(int keep)
    {
        if (_used.Count <= keep)
        {
            return;
        }

        foreach (var (id, _) in _used.OrderBy(u => u.Value).Take(_used.Count - keep).ToList())
        {
            _identities.Remove(id);
            _states.Remove(id);
            _used.Remove(id);
            _evicted.Add(id);
        }
    }
}
