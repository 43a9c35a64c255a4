namespace Samlet.Identity;

/// <summary>What identity resolution decided for one event.</summary>
public enum IdentityDecisionKind
{
    /// <summary>One profile holds the event's identifiers; nothing new to add.</summary>
    Match,

    /// <summary>One profile matched; identifiers it did not hold are added to it.</summary>
    Attach,

    /// <summary>No profile matched: a new one is created with the event's identifiers.</summary>
    Create,

    /// <summary>Several profiles matched: they are merged into the oldest.</summary>
    Merge,

    /// <summary>The event has no usable identifier (all missing, invalid or blocked): it belongs to no profile.</summary>
    NoProfile,
}
