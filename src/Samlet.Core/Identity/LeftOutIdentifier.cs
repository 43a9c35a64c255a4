using System.Globalization;

namespace Samlet.Identity;

/// <summary>A value an event carried that was not linked to its profile, with the reason in data and in words.</summary>
public sealed record LeftOutIdentifier(Identifier Identifier, LeftOutReason Reason)
{
    private const int MaxShownLength = 100;

    /// <summary>For <see cref="LeftOutReason.Blocked"/>: the listed value or pattern that blocked it.</summary>
    public string? BlockedBy { get; init; }

    /// <summary>For <see cref="LeftOutReason.MergeRefused"/>: the profile that holds the identifier.</summary>
    public string? HeldBy { get; init; }

    /// <summary>For limits: the type whose limit would break, how many values there would be, and the rule.</summary>
    public string? LimitType { get; init; }

    public int Count { get; init; }

    public int Limit { get; init; }

    public TimeSpan? Window { get; init; }

    /// <summary>A value that failed normalisation; very long values are shortened for display.</summary>
    public static LeftOutIdentifier Invalid(string type, string raw) =>
        new(new Identifier(type, raw.Length <= MaxShownLength ? raw : raw[..MaxShownLength] + "…"), LeftOutReason.Invalid);

    internal static LeftOutIdentifier Blocked(Identifier identifier, string? blockedBy) =>
        new(identifier, LeftOutReason.Blocked) { BlockedBy = blockedBy };

    internal static LeftOutIdentifier OverLimit(Identifier identifier, TypeRules rule, int count) =>
        new(identifier, LeftOutReason.LimitReached) { LimitType = rule.Type, Count = count, Limit = rule.Limit ?? 0, Window = rule.Window };

    internal static LeftOutIdentifier RefusedMerge(Identifier identifier, string heldBy, TypeRules rule, int count) =>
        new(identifier, LeftOutReason.MergeRefused) { HeldBy = heldBy, LimitType = rule.Type, Count = count, Limit = rule.Limit ?? 0, Window = rule.Window };

    /// <summary>The reason in plain words, e.g. for the merge history of a profile.</summary>
    public string Describe() => Reason switch
    {
        LeftOutReason.Invalid => $"{Identifier.Type} '{Identifier.Value}' is not a valid value for its type, so it is not an identifier.",
        LeftOutReason.Blocked => $"{Identifier} is blocked by the rules ({BlockedBy}).",
        LeftOutReason.LimitReached => $"{Identifier} was not added: the profile would hold {Count} {LimitType} values{WithinWindow()} (limit {Limit}{PerWindow()}).",
        LeftOutReason.MergeRefused => $"{Identifier} belongs to profile {HeldBy}; linking it would merge profiles that together hold {Count} {LimitType} values{WithinWindow()} (limit {Limit}{PerWindow()}), so it was left out and no merge happened.",
        _ => Identifier.ToString(),
    };

    private string WithinWindow() => Window is { } window ? " added within " + Words(window) : "";

    private string PerWindow() => Window is { } window ? " per " + Words(window) : "";

    internal static string Words(TimeSpan span) => span switch
    {
        { Ticks: var t } when t % TimeSpan.TicksPerDay == 0 => Plural(span.Days, "day"),
        { Ticks: var t } when t % TimeSpan.TicksPerHour == 0 => Plural((int)span.TotalHours, "hour"),
        { Ticks: var t } when t % TimeSpan.TicksPerMinute == 0 => Plural((int)span.TotalMinutes, "minute"),
        _ => span.ToString("c", CultureInfo.InvariantCulture),
    };

    private static string Plural(int n, string unit) => n.ToString(CultureInfo.InvariantCulture) + " " + unit + (n == 1 ? "" : "s");
}
