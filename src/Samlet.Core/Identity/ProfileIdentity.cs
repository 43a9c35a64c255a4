using System.Collections.Immutable;

namespace Samlet.Identity;

/// <summary>What identity resolution knows about one profile: its id, when it was created (event time), its identifiers.</summary>
public sealed record ProfileIdentity(string Id, DateTimeOffset CreatedAt, ImmutableArray<HeldIdentifier> Identifiers)
{
    /// <summary>Whether this profile is older than <paramref name="other"/>: created earlier, or at the same time with the smaller id.</summary>
    public bool IsOlderThan(ProfileIdentity other) =>
        CreatedAt != other.CreatedAt ? CreatedAt < other.CreatedAt : string.CompareOrdinal(Id, other.Id) < 0;
}
