using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Samlet.Audiences;

/// <summary>
/// An operator with its validated operand(s), applied to a trait, computed trait or event property value.
/// Operands are parsed once (numbers, instants, sets, a compiled regex) so that evaluation only reads the value.
/// A missing value (or JSON null) and a value of the wrong JSON type match nothing; <see cref="ComparisonOperator.Exists"/> is false for them.
/// </summary>
public sealed class Comparison
{
    public required ComparisonOperator Operator { get; init; }

    /// <summary>The string operand of equals, notEquals, contains and startsWith.</summary>
    public string? Text { get; init; }

    /// <summary>The number operand of equals, notEquals and greaterThan…lessThanOrEqual.</summary>
    public double? Number { get; init; }

    /// <summary>The boolean operand of equals and notEquals.</summary>
    public bool? Boolean { get; init; }

    /// <summary>The strings, numbers and booleans of an <c>in</c> list.</summary>
    public IReadOnlySet<string>? Texts { get; init; }

    public IReadOnlySet<double>? Numbers { get; init; }

    public IReadOnlySet<bool>? Booleans { get; init; }

    /// <summary>The inclusive bounds of a numeric <c>between</c>.</summary>
    public double? Low { get; init; }

    public double? High { get; init; }

    /// <summary>The inclusive bounds of a date-time <c>between</c> (UTC).</summary>
    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    /// <summary>The instant of before and after (UTC).</summary>
    public DateTimeOffset? Instant { get; init; }

    /// <summary>The duration of withinLast.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>The compiled pattern of matches (NonBacktracking: linear time in the input).</summary>
    public Regex? Pattern { get; init; }

    /// <summary>Whether <paramref name="value"/> (absent: null) meets the comparison at <paramref name="now"/>.</summary>
    public bool Matches(JsonElement? value, DateTimeOffset now)
    {
        if (value is not { } v || v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return false;
        }

        switch (Operator)
        {
            case ComparisonOperator.Equals:
                return SameType(v) && IsEqual(v);
            case ComparisonOperator.NotEquals:
                return SameType(v) && !IsEqual(v);
            case ComparisonOperator.Contains:
                return Text is not null && Contains(v, Text);
            case ComparisonOperator.StartsWith:
                return Text is not null && v.ValueKind == JsonValueKind.String
                    && v.GetString()!.StartsWith(Text, StringComparison.OrdinalIgnoreCase);
            case ComparisonOperator.In:
                return IsIn(v);
            case ComparisonOperator.GreaterThan:
                return Number is { } gt && TryNumber(v, out var a) && a > gt;
            case ComparisonOperator.GreaterThanOrEqual:
                return Number is { } ge && TryNumber(v, out var b) && b >= ge;
            case ComparisonOperator.LessThan:
                return Number is { } lt && TryNumber(v, out var c) && c < lt;
            case ComparisonOperator.LessThanOrEqual:
                return Number is { } le && TryNumber(v, out var d) && d <= le;
            case ComparisonOperator.Between:
                if (Low is { } low && High is { } high)
                {
                    return TryNumber(v, out var n) && n >= low && n <= high;
                }

                return From is { } from && To is { } to && IsoInstant.TryRead(v, out var t) && t >= from && t <= to;
            case ComparisonOperator.Exists:
                return true;
            case ComparisonOperator.Before:
                return Instant is { } before && IsoInstant.TryRead(v, out var tb) && tb < before;
            case ComparisonOperator.After:
                return Instant is { } after && IsoInstant.TryRead(v, out var ta) && ta > after;
            case ComparisonOperator.WithinLast:
                return Duration is { } window && IsoInstant.TryRead(v, out var tw) && IsWithin(tw, window, now);
            case ComparisonOperator.Matches:
                return Pattern is not null && v.ValueKind == JsonValueKind.String && Pattern.IsMatch(v.GetString()!);
            default:
                return false;
        }
    }

    /// <summary>
    /// The first instant after <paramref name="now"/> at which <see cref="Matches"/> gives another answer for the same
    /// value with time alone, or null if it never does. Only withinLast depends on time: a value inside the window drops
    /// out one tick after value + duration; a value in the future enters at value.
    /// </summary>
    public DateTimeOffset? ChangesAt(JsonElement? value, DateTimeOffset now)
    {
        if (Operator != ComparisonOperator.WithinLast || Duration is not { } window || !IsoInstant.TryRead(value, out var t))
        {
            return null;
        }

        if (t > now)
        {
            return t;
        }

        return IsWithin(t, window, now) ? t + window + TimeSpan.FromTicks(1) : null;
    }

    /// <summary>A culture-independent text of the operator and its operands: equal for equal comparisons, whatever their JSON spelling.</summary>
    public string CanonicalText
    {
        get
        {
            var sb = new StringBuilder(Operator.ToName());
            void Add(string tag, string text) => sb.Append(' ').Append(tag).Append(':').Append(text);
            if (Text is not null)
            {
                Add("s", Quote(Text));
            }

            if (Number is { } number)
            {
                Add("n", FormatNumber(number));
            }

            if (Boolean is { } boolean)
            {
                Add("b", boolean ? "true" : "false");
            }

            if (Texts is not null)
            {
                Add("ss", string.Join(",", Texts.Order(StringComparer.Ordinal).Select(Quote)));
            }

            if (Numbers is not null)
            {
                Add("ns", string.Join(",", Numbers.Order().Select(FormatNumber)));
            }

            if (Booleans is not null)
            {
                Add("bs", string.Join(",", Booleans.Order().Select(b => b ? "true" : "false")));
            }

            if (Low is { } low && High is { } high)
            {
                Add("range", FormatNumber(low) + ".." + FormatNumber(high));
            }

            if (From is { } from && To is { } to)
            {
                Add("span", IsoInstant.Format(from) + ".." + IsoInstant.Format(to));
            }

            if (Instant is { } instant)
            {
                Add("t", IsoInstant.Format(instant));
            }

            if (Duration is { } duration)
            {
                Add("d", duration.Ticks.ToString(CultureInfo.InvariantCulture));
            }

            if (Pattern is not null)
            {
                Add("re", Quote(Pattern.ToString()));
            }

            return sb.ToString();
        }
    }

    public override string ToString() => CanonicalText;

    // Inclusive at both ends: now − window ≤ t ≤ now.
    private static bool IsWithin(DateTimeOffset t, TimeSpan window, DateTimeOffset now) => t <= now && t >= now - window;

    private bool SameType(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => Text is not null,
        JsonValueKind.Number => Number is not null,
        JsonValueKind.True or JsonValueKind.False => Boolean is not null,
        _ => false,
    };

    private bool IsEqual(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.ValueEquals(Text),
        JsonValueKind.Number => TryNumber(v, out var n) && n == Number,
        JsonValueKind.True => Boolean == true,
        JsonValueKind.False => Boolean == false,
        _ => false,
    };

    private bool IsIn(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => Texts is not null && Texts.Contains(v.GetString()!),
        JsonValueKind.Number => Numbers is not null && TryNumber(v, out var n) && Numbers.Contains(n),
        JsonValueKind.True => Booleans is not null && Booleans.Contains(true),
        JsonValueKind.False => Booleans is not null && Booleans.Contains(false),
        _ => false,
    };

    private static bool Contains(JsonElement v, string text)
    {
        if (v.ValueKind == JsonValueKind.String)
        {
            return v.GetString()!.Contains(text, StringComparison.OrdinalIgnoreCase);
        }

        if (v.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in v.EnumerateArray())
            {
                if (element.ValueKind == JsonValueKind.String && string.Equals(element.GetString(), text, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool TryNumber(JsonElement v, out double number)
    {
        number = 0;
        return v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out number) && double.IsFinite(number);
    }

    internal static string FormatNumber(double number) => number == 0 ? "0" : number.ToString("R", CultureInfo.InvariantCulture);

    internal static string Quote(string text) => JsonSerializer.Serialize(text);
}
