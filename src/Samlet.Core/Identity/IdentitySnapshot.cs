using System.Collections.Immutable;

namespace Samlet.Identity;

/// <summary>
/// What the store knows about the profiles that hold any of a batch's identifiers: every identifier's profile, and each
/// profile's creation time and identifiers with the time each was added. A worker resolves a batch's events in order
/// against one snapshot: <see cref="Apply"/> changes it in place after each decision (no copies: a profile-creating batch
/// adds thousands of identifiers, docs/identity.md); a decision that does not fit it throws and changes nothing. Every
/// identifier belongs to exactly one profile.
/// </summary>
public sealed class IdentitySnapshot
{
    private readonly Dictionary<Identifier, string> _owners = [];
    private readonly Dictionary<string, ProfileIdentity> _profiles = new(StringComparer.Ordinal);

    public int ProfileCount => _profiles.Count;

    public IEnumerable<ProfileIdentity> Profiles => _profiles.Values;

    /// <summary>Builds a snapshot from profiles as the store holds them; an identifier held by two profiles is refused.</summary>
    public static IdentitySnapshot From(IEnumerable<ProfileIdentity> profiles)
    {
        var snapshot = new IdentitySnapshot();
        foreach (var profile in profiles)
        {
            if (!snapshot._profiles.TryAdd(profile.Id, profile))
            {
                throw new ArgumentException($"Profile {profile.Id} appears twice.", nameof(profiles));
            }

            foreach (var held in profile.Identifiers)
            {
                if (!snapshot._owners.TryAdd(held.Identifier, profile.Id))
                {
                    throw new ArgumentException($"{held.Identifier} is held by both {snapshot._owners[held.Identifier]} and {profile.Id}.", nameof(profiles));
                }
            }
        }

        return snapshot;
    }

    /// <summary>The profile that holds <paramref name="identifier"/>, or null.</summary>
    public string? OwnerOf(Identifier identifier) => _owners.TryGetValue(identifier, out var owner) ? owner : null;

    public ProfileIdentity? Find(string profileId) => _profiles.TryGetValue(profileId, out var profile) ? profile : null;

    /// <summary>Applies <paramref name="decision"/>; throws, changing nothing, when it was not made against this snapshot.</summary>
    public void Apply(IdentityDecision decision)
    {
        switch (decision.Kind)
        {
            case IdentityDecisionKind.Create:
                {
                    var id = decision.ProfileId!;
                    if (_profiles.ContainsKey(id))
                    {
                        throw new InvalidOperationException($"Cannot create profile {id}: it exists.");
                    }

                    EnsureFree(decision.Added, id);
                    _profiles.Add(id, new ProfileIdentity(id, decision.Timestamp, Held(decision.Added, decision.Timestamp)));
                    AddOwners(decision.Added, id);
                    return;
                }

            case IdentityDecisionKind.Attach:
                {
                    var profile = Existing(decision.ProfileId!);
                    EnsureFree(decision.Added, profile.Id);
                    _profiles[profile.Id] = profile with { Identifiers = profile.Identifiers.AddRange(Held(decision.Added, decision.Timestamp)) };
                    AddOwners(decision.Added, profile.Id);
                    return;
                }

            case IdentityDecisionKind.Merge:
                Merge(decision);
                return;
        }
    }

    private void Merge(IdentityDecision decision)
    {
        var survivor = Existing(decision.ProfileId!);
        var count = survivor.Identifiers.Length + decision.Added.Count;
        foreach (var link in decision.Merged)
        {
            count += Existing(link.ProfileId).Identifiers.Length;
        }

        EnsureFree(decision.Added, survivor.Id);
        var identifiers = ImmutableArray.CreateBuilder<HeldIdentifier>(count);
        identifiers.AddRange(survivor.Identifiers);
        foreach (var link in decision.Merged)
        {
            var merged = _profiles[link.ProfileId];
            identifiers.AddRange(merged.Identifiers);
            foreach (var held in merged.Identifiers)
            {
                _owners[held.Identifier] = survivor.Id;
            }

            _profiles.Remove(merged.Id);
        }

        foreach (var identifier in decision.Added)
        {
            identifiers.Add(new HeldIdentifier(identifier, decision.Timestamp));
        }

        AddOwners(decision.Added, survivor.Id);
        _profiles[survivor.Id] = survivor with { Identifiers = identifiers.MoveToImmutable() };
    }

    private ProfileIdentity Existing(string id) =>
        Find(id) ?? throw new InvalidOperationException($"Profile {id} is not in the snapshot the decision is applied to.");

    private static ImmutableArray<HeldIdentifier> Held(IReadOnlyList<Identifier> added, DateTimeOffset at)
    {
        var held = ImmutableArray.CreateBuilder<HeldIdentifier>(added.Count);
        foreach (var identifier in added)
        {
            held.Add(new HeldIdentifier(identifier, at));
        }

        return held.MoveToImmutable();
    }

    // Checked before anything changes: an identifier named twice in one decision or held by any profile is refused.
    private void EnsureFree(IReadOnlyList<Identifier> added, string profileId)
    {
        for (var i = 0; i < added.Count; i++)
        {
            if (_owners.TryGetValue(added[i], out var owner))
            {
                throw Taken(added[i], owner);
            }

            for (var j = 0; j < i; j++)
            {
                if (added[j] == added[i])
                {
                    throw Taken(added[i], profileId);
                }
            }
        }
    }

    private void AddOwners(IReadOnlyList<Identifier> added, string profileId)
    {
        foreach (var identifier in added)
        {
            _owners.Add(identifier, profileId);
        }
    }

    private static InvalidOperationException Taken(Identifier identifier, string owner) =>
        new($"Cannot add {identifier}: profile {owner} holds it already.");
}
