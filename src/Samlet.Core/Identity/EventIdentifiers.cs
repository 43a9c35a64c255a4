using Samlet.Events;

namespace Samlet.Identity;

/// <summary>
/// The identifiers one event carries, normalised (not yet checked against blocked values and limits): the input of
/// <see cref="IdentityResolver"/>. <see cref="PreviousId"/> (alias) is typed by the resolver against the snapshot.
/// </summary>
internal sealed class EventIdentifiers(
    string messageId,
    EventType type,
    DateTimeOffset timestamp,
    Identifier[] identifiers,
    string? previousId = null,
    Identifier? account = null,
    LeftOutIdentifier[]? invalid = null)
{
    public string MessageId { get; } = messageId;

    public EventType Type { get; } = type;

    public DateTimeOffset Timestamp { get; } = timestamp;

    public IReadOnlyList<Identifier> Identifiers { get; } = identifiers;

    /// <summary>An alias event's previousId: a <c>user_id</c> if a profile holds it as one, else an <c>anonymous_id</c>.</summary>
    public string? PreviousId { get; } = previousId;

    /// <summary>A group event's account.</summary>
    public Identifier? Account { get; } = account;

    /// <summary>Values that failed normalisation.</summary>
    public IReadOnlyList<LeftOutIdentifier> Invalid { get; } = invalid ?? [];

    /// <summary>Adds what the snapshot must cover for this event: its identifiers, and the previousId as both types it may be.</summary>
    public void CollectLookupKeys(ICollection<Identifier> keys)
    {
        foreach (var identifier in Identifiers)
        {
            keys.Add(identifier);
        }

        if (PreviousId is not null)
        {
            keys.Add(new Identifier(IdentifierTypes.UserId, PreviousId));
            keys.Add(new Identifier(IdentifierTypes.AnonymousId, PreviousId));
        }
    }
}
