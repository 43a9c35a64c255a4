namespace Samlet.Identity;

/// <summary>
/// A workspace's identity rules as configured (plain data, bound from JSON). <c>new IdentityRules()</c> is the default
/// rule set. Each entry of <see cref="Types"/> replaces the default entry of its type entirely; types not listed keep
/// their defaults (<see cref="IdentityDefaults"/>). Compile with <see cref="IdentityRuleSet.Build"/>, which refuses bad rules.
/// </summary>
public sealed record IdentityRules
{
    /// <summary>ISO 3166 region for phone numbers without a country code when the event gives no hint (address country, locale).</summary>
    public string DefaultRegion { get; init; } = "US";

    /// <summary>Values blocked for every type, compared case-insensitively with the normalised value.</summary>
    public IReadOnlyList<string> BlockedValues { get; init; } = IdentityDefaults.BlockedValues;

    /// <summary>Regular expressions blocked for every type (case-insensitive, unanchored unless the pattern anchors itself).</summary>
    public IReadOnlyList<string> BlockedPatterns { get; init; } = [];

    /// <summary>Per-type rules; each replaces the default of its type. A custom type needs <see cref="IdentifierTypeRule.Paths"/>.</summary>
    public IReadOnlyList<IdentifierTypeRule> Types { get; init; } = [];
}
