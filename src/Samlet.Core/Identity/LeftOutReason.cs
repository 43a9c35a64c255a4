namespace Samlet.Identity;

/// <summary>Why a value of an event did not become one of its profile's identifiers.</summary>
public enum LeftOutReason
{
    /// <summary>The value failed normalisation (not an e-mail address, not a valid phone number, too long…).</summary>
    Invalid,

    /// <summary>The value is blocked by the rules (a listed value or a pattern).</summary>
    Blocked,

    /// <summary>Adding it would give the profile more values of its type than the limit allows.</summary>
    LimitReached,

    /// <summary>Another profile holds it, and merging that profile would break a limit (e.g. two user ids): no merge.</summary>
    MergeRefused,
}
