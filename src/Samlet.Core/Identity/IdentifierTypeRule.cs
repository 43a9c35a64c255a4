namespace Samlet.Identity;

/// <summary>The rule for one identifier type (plain data, bound from JSON).</summary>
public sealed record IdentifierTypeRule
{
    /// <summary>A built-in type (<see cref="IdentifierTypes"/>) or a custom one such as <c>crm_id</c>.</summary>
    public string Type { get; init; } = "";

    /// <summary>Lower is more important: when linking would break a limit, the identifier with the highest number is left out.</summary>
    public int Priority { get; init; } = 50;

    /// <summary>The most values of this type one profile may hold (within <see cref="Window"/> if set); null for no limit.</summary>
    public int? Limit { get; init; }

    /// <summary>When set, the limit counts only values added within this time before the event's time (e.g. 5 per 7 days).</summary>
    public TimeSpan? Window { get; init; }

    /// <summary>Values blocked for this type, on top of <see cref="IdentityRules.BlockedValues"/>.</summary>
    public IReadOnlyList<string> BlockedValues { get; init; } = [];

    /// <summary>Regular expressions blocked for this type, on top of <see cref="IdentityRules.BlockedPatterns"/>.</summary>
    public IReadOnlyList<string> BlockedPatterns { get; init; } = [];

    /// <summary>
    /// Where else in an event to read values of this type, as dotted paths: <c>traits.crm_id</c>,
    /// <c>properties.account.crm</c>, <c>context.externalIds.crm</c>. A path starting with <c>traits.</c> means the
    /// person's traits: <c>traits</c> on identify, <c>context.traits</c> on every other event (a group's own traits
    /// describe the account, not the person).
    /// </summary>
    public IReadOnlyList<string> Paths { get; init; } = [];
}
