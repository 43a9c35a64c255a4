using System.Collections.Immutable;

namespace Samlet.Identity;

/// <summary>
/// What the store knows about the profiles that hold any of a batch's identifiers: every identifier's profile, and each
/// profile's creation time and identifiers with the time each was added. Immutable: <see cref="Apply"/> returns the
/// snapshot after a decision and shares everything it did not change, so a worker can resolve a batch's events in order
/// in memory. Every identifier belongs to exactly one profile.
/// </summary>
public sealed class IdentitySnapshot
{
    private readonly ImmutableDictionary<Identifier, string> _owners;
    private readonly ImmutableDictionary<string, ProfileIdentity> _profiles;

    private IdentitySnapshot(ImmutableDictionary<Identifier, string> owners, ImmutableDictionary<string, ProfileIdentity> profiles)
    {
        _owners = owners;
        _profiles = profiles;
    }

    public static IdentitySnapshot Empty { get; } = new(
        ImmutableDictionary<Identifier, string>.Empty, ImmutableDictionary.Create<string, ProfileIdentity>(StringComparer.Ordinal));

    public int ProfileCount => _profiles.Count;

    public IEnumerable<ProfileIdentity> Profiles => _profiles.Values;

    /// <summary>Builds a snapshot from profiles as the store holds them; an identifier held by two profiles is refused.</summary>
    public static IdentitySnapshot From(IEnumerable<ProfileIdentity> profiles)
    {
        var owners = ImmutableDictionary.CreateBuilder<Identifier, string>();
        var byId = ImmutableDictionary.CreateBuilder<string, ProfileIdentity>(StringComparer.Ordinal);
        foreach (var profile in profiles)
        {
            if (!byId.TryAdd(profile.Id, profile))
            {
                throw new ArgumentException($"Profile {profile.Id} appears twice.", nameof(profiles));
            }

            foreach (var held in profile.Identifiers)
            {
                if (!owners.TryAdd(held.Identifier, profile.Id))
                {
                    throw new ArgumentException($"{held.Identifier} is held by both {owners[held.Identifier]} and {profile.Id}.", nameof(profiles));
                }
            }
        }

        return new IdentitySnapshot(owners.ToImmutable(), byId.ToImmutable());
    }

    /// <summary>The profile that holds <paramref name="identifier"/>, or null.</summary>
    public string? OwnerOf(Identifier identifier) => _owners.TryGetValue(identifier, out var owner) ? owner : null;

    public ProfileIdentity? Find(string profileId) => _profiles.TryGetValue(profileId, out var profile) ? profile : null;

    /// <summary>The snapshot after <paramref name="decision"/>; throws when the decision was not made against this snapshot.</summary>
    public IdentitySnapshot Apply(IdentityDecision decision)
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

                    var profile = new ProfileIdentity(id, decision.Timestamp, Held(decision.Added, decision.Timestamp));
                    return new IdentitySnapshot(AddOwners(_owners, decision.Added, id), _profiles.Add(id, profile));
                }

            case IdentityDecisionKind.Attach:
                {
                    var profile = Existing(decision.ProfileId!);
                    var identifiers = profile.Identifiers.AddRange(Held(decision.Added, decision.Timestamp));
                    return new IdentitySnapshot(
                        AddOwners(_owners, decision.Added, profile.Id), _profiles.SetItem(profile.Id, profile with { Identifiers = identifiers }));
                }

            case IdentityDecisionKind.Merge:
                return Merge(decision);
            default:
                return this;
        }
    }

    private IdentitySnapshot Merge(IdentityDecision decision)
    {
        var survivor = Existing(decision.ProfileId!);
        var count = survivor.Identifiers.Length + decision.Added.Count;
        foreach (var link in decision.Merged)
        {
            count += Existing(link.ProfileId).Identifiers.Length;
        }

        var identifiers = ImmutableArray.CreateBuilder<HeldIdentifier>(count);
        identifiers.AddRange(survivor.Identifiers);
        var owners = _owners.ToBuilder();
        var profiles = _profiles.ToBuilder();
        foreach (var link in decision.Merged)
        {
            var merged = _profiles[link.ProfileId];
            identifiers.AddRange(merged.Identifiers);
            foreach (var held in merged.Identifiers)
            {
                owners[held.Identifier] = survivor.Id;
            }

            profiles.Remove(merged.Id);
        }

        foreach (var identifier in decision.Added)
        {
            identifiers.Add(new HeldIdentifier(identifier, decision.Timestamp));
            AddOwner(owners, identifier, survivor.Id);
        }

        profiles[survivor.Id] = survivor with { Identifiers = identifiers.MoveToImmutable() };
        return new IdentitySnapshot(owners.ToImmutable(), profiles.ToImmutable());
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

    private static ImmutableDictionary<Identifier, string> AddOwners(ImmutableDictionary<Identifier, string> owners, IReadOnlyList<Identifier> added, string profileId)
    {
        if (added.Count == 1)
        {
            return owners.ContainsKey(added[0]) ? throw Taken(added[0], owners[added[0]]) : owners.Add(added[0], profileId);
        }

        var builder = owners.ToBuilder();
        foreach (var identifier in added)
        {
            AddOwner(builder, identifier, profileId);
        }

        return builder.ToImmutable();
    }

    private static void AddOwner(ImmutableDictionary<Identifier, string>.Builder owners, Identifier identifier, string profileId)
    {
        if (!owners.TryAdd(identifier, profileId))
        {
            throw Taken(identifier, owners[identifier]);
        }
    }

    private static InvalidOperationException Taken(Identifier identifier, string owner) =>
        new($"Cannot add {identifier}: profile {owner} holds it already.");
}
