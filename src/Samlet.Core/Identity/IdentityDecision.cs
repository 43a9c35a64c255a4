using Samlet.Events;

namespace Samlet.Identity;

/// <summary>
/// The outcome of identity resolution for one event (DESIGN §1.3: a pure stage's decision). <see cref="ProfileId"/> is the
/// profile the event belongs to afterwards (the survivor of a merge, the new profile of a create); null only for
/// <see cref="IdentityDecisionKind.NoProfile"/>. Apply it to a snapshot with <see cref="IdentitySnapshot.Apply"/>.
/// </summary>
public sealed class IdentityDecision
{
    internal IdentityDecision(
        IdentityDecisionKind kind,
        string? profileId,
        DateTimeOffset? profileCreatedAt,
        Identifier? matchedBy,
        string messageId,
        EventType eventType,
        DateTimeOffset timestamp,
        Identifier[] added,
        ProfileLink[] merged,
        LeftOutIdentifier[] leftOut,
        Identifier? account)
    {
        Kind = kind;
        ProfileId = profileId;
        ProfileCreatedAt = profileCreatedAt;
        MatchedBy = matchedBy;
        MessageId = messageId;
        EventType = eventType;
        Timestamp = timestamp;
        Added = added;
        Merged = merged;
        LeftOut = leftOut;
        Account = account;
    }

    public IdentityDecisionKind Kind { get; }

    public string? ProfileId { get; }

    /// <summary>When <see cref="ProfileId"/> was created (the event's time for a new profile).</summary>
    public DateTimeOffset? ProfileCreatedAt { get; }

    /// <summary>The event's identifier that found <see cref="ProfileId"/>; null for create and no-profile.</summary>
    public Identifier? MatchedBy { get; }

    /// <summary>The event that caused the decision.</summary>
    public string MessageId { get; }

    public EventType EventType { get; }

    /// <summary>The event's time: new identifiers are added at this time, and a new profile is created at it.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Identifiers no profile held before, now held by <see cref="ProfileId"/>.</summary>
    public IReadOnlyList<Identifier> Added { get; }

    /// <summary>For a merge: the profiles merged into <see cref="ProfileId"/>, oldest first, each with the identifier that linked it.</summary>
    public IReadOnlyList<ProfileLink> Merged { get; }

    /// <summary>The event's values that were not linked, and why.</summary>
    public IReadOnlyList<LeftOutIdentifier> LeftOut { get; }

    /// <summary>For a group event: the account (<c>group_id</c>) the person is linked to; never merged into the person.</summary>
    public Identifier? Account { get; }

    /// <summary>Whether applying the decision changes the identity graph (create, attach, merge).</summary>
    public bool ChangesIdentities => Kind is IdentityDecisionKind.Attach or IdentityDecisionKind.Create or IdentityDecisionKind.Merge;

    /// <summary>The decision in plain words, for the merge record and the profile's history (contains identifier values: never log it).</summary>
    public string Explain() => DecisionExplanation.Of(this);

    public override string ToString() => Explain();
}
