using System.Collections.Immutable;

namespace Samlet.Identity;

/// <summary>What identity resolution knows about one profile: its id, when it was created (event time), its identifiers.</summary>
public sealed record ProfileIdentity(string Id, DateTimeOffset CreatedAt, ImmutableArray<HeldIdentifier> Identifiers)
{
    /// <summary>Whether this profile is older than <paramref name="other"/>: created earlier, or at the same time with the smaller id.</summary>
    public bool IsOlderThan(ProfileIdentity other) =>
        CreatedAt != other.CreatedAt ? CreatedAt < other.CreatedAt : string.CompareOrdinal(Id, other.Id) < 0;

    /// <summary>The value of the profile's identifier of <paramref name="type"/> added last (ties: the later held), or null.</summary>
    public string? Latest(string type)
    {
        string? value = null;
        DateTimeOffset at = default;
        foreach (var held in Identifiers)
        {
            if (held.Identifier.Type == type && (value is null || held.AddedAt >= at))
            {
                value = held.Identifier.Value;
                at = held.AddedAt;
            }
        }

        return value;
    }
}
