using System.Text.Json;
using System.Text.RegularExpressions;

namespace Samlet.Audiences;

/// <summary>Validates an operator's JSON operand and builds the <see cref="Comparison"/> with it parsed once.</summary>
internal static class ComparisonParser
{
    public const int MaxInValues = 1000;
    public const int MaxPatternLength = 500;

    /// <summary>
    /// The comparison for <paramref name="opName"/> (at <paramref name="path"/>/op) and <paramref name="value"/>
    /// (at <paramref name="path"/>/value; null: the property is absent), or null with the problems added.
    /// </summary>
    public static Comparison? Build(JsonElement? opName, JsonElement? value, string path, List<DefinitionProblem> problems)
    {
        if (opName is not { } opElement)
        {
            problems.Add(new(path, $"missing 'op'; use one of {OperatorNames.List}"));
            return null;
        }

        if (opElement.ValueKind != JsonValueKind.String || !OperatorNames.TryParse(opElement.GetString(), out var op))
        {
            var shown = opElement.ValueKind == JsonValueKind.String ? $"'{opElement.GetString()}'" : opElement.ValueKind.ToString().ToLowerInvariant();
            problems.Add(new(path + "/op", $"unknown operator {shown}; use one of {OperatorNames.List}"));
            return null;
        }

        var valuePath = path + "/value";
        if (op == ComparisonOperator.Exists)
        {
            if (value is not null)
            {
                problems.Add(new(valuePath, "exists takes no value; remove 'value'"));
                return null;
            }

            return new Comparison { Operator = op };
        }

        if (value is not { } v)
        {
            problems.Add(new(path, $"{op.ToName()} needs a 'value': {Expected(op)}"));
            return null;
        }

        var error = default(string);
        var errorPath = valuePath;
        var comparison = op switch
        {
            ComparisonOperator.Equals or ComparisonOperator.NotEquals => Scalar(op, v),
            ComparisonOperator.Contains or ComparisonOperator.StartsWith =>
                v.ValueKind == JsonValueKind.String ? new Comparison { Operator = op, Text = v.GetString() } : null,
            ComparisonOperator.In => InList(v, valuePath, ref error, ref errorPath),
            ComparisonOperator.GreaterThan or ComparisonOperator.GreaterThanOrEqual or ComparisonOperator.LessThan
                or ComparisonOperator.LessThanOrEqual =>
                TryNumber(v, out var n) ? new Comparison { Operator = op, Number = n } : null,
            ComparisonOperator.Between => Range(v, ref error),
            ComparisonOperator.Before or ComparisonOperator.After =>
                IsoInstant.TryRead(v, out var t) ? new Comparison { Operator = op, Instant = t } : null,
            ComparisonOperator.WithinLast =>
                v.ValueKind == JsonValueKind.String && WindowText.TryParse(v.GetString(), out var d)
                    ? new Comparison { Operator = op, Duration = d } : null,
            ComparisonOperator.Matches => Pattern(v, ref error),
            _ => null,
        };

        if (comparison is null)
        {
            problems.Add(new(errorPath, error ?? $"{op.ToName()} needs {Expected(op)}; got {Describe(v)}"));
        }

        return comparison;
    }

    /// <summary>What the operand of <paramref name="op"/> must be, for messages.</summary>
    public static string Expected(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equals or ComparisonOperator.NotEquals => "a string, number or boolean",
        ComparisonOperator.Contains or ComparisonOperator.StartsWith => "a string",
        ComparisonOperator.In => $"a non-empty array (at most {MaxInValues}) of strings, numbers or booleans",
        ComparisonOperator.Between => "an array [low, high] of two numbers or two ISO-8601 date-times, low ≤ high",
        ComparisonOperator.Before or ComparisonOperator.After => "an ISO-8601 date-time string such as \"2026-03-01T00:00:00Z\"",
        ComparisonOperator.WithinLast => WindowText.Allowed,
        ComparisonOperator.Matches => $"a regular expression string of at most {MaxPatternLength} characters",
        ComparisonOperator.Exists => "no value",
        _ => "a number",
    };

    private static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => $"\"{v.GetString()}\"",
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    private static Comparison? Scalar(ComparisonOperator op, JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => new Comparison { Operator = op, Text = v.GetString() },
        JsonValueKind.Number when TryNumber(v, out var n) => new Comparison { Operator = op, Number = n },
        JsonValueKind.True => new Comparison { Operator = op, Boolean = true },
        JsonValueKind.False => new Comparison { Operator = op, Boolean = false },
        _ => null,
    };

    private static Comparison? InList(JsonElement v, string valuePath, ref string? error, ref string errorPath)
    {
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() is 0 or > MaxInValues)
        {
            return null;
        }

        var texts = new HashSet<string>(StringComparer.Ordinal);
        var numbers = new HashSet<double>();
        var booleans = new HashSet<bool>();
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            switch (item.ValueKind)
            {
                case JsonValueKind.String: texts.Add(item.GetString()!); break;
                case JsonValueKind.Number when TryNumber(item, out var n): numbers.Add(n); break;
                case JsonValueKind.True: booleans.Add(true); break;
                case JsonValueKind.False: booleans.Add(false); break;
                default:
                    errorPath = $"{valuePath}/{i}";
                    error = $"in lists hold strings, numbers or booleans; got {Describe(item)}";
                    return null;
            }

            i++;
        }

        return new Comparison
        {
            Operator = ComparisonOperator.In,
            Texts = texts.Count > 0 ? texts : null,
            Numbers = numbers.Count > 0 ? numbers : null,
            Booleans = booleans.Count > 0 ? booleans : null,
        };
    }

    private static Comparison? Range(JsonElement v, ref string? error)
    {
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() != 2)
        {
            return null;
        }

        var low = v[0];
        var high = v[1];
        if (TryNumber(low, out var a) && TryNumber(high, out var b))
        {
            if (a > b)
            {
                error = $"between needs low ≤ high; got [{low.GetRawText()}, {high.GetRawText()}]";
                return null;
            }

            return new Comparison { Operator = ComparisonOperator.Between, Low = a, High = b };
        }

        if (IsoInstant.TryRead(low, out var from) && IsoInstant.TryRead(high, out var to))
        {
            if (from > to)
            {
                error = $"between needs low ≤ high; got [{low.GetRawText()}, {high.GetRawText()}]";
                return null;
            }

            return new Comparison { Operator = ComparisonOperator.Between, From = from, To = to };
        }

        return null;
    }

    private static Comparison? Pattern(JsonElement v, ref string? error)
    {
        if (v.ValueKind != JsonValueKind.String || v.GetString()!.Length > MaxPatternLength)
        {
            return null;
        }

        try
        {
            var regex = new Regex(v.GetString()!, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
            return new Comparison { Operator = ComparisonOperator.Matches, Pattern = regex };
        }
        catch (NotSupportedException e)
        {
            error = $"too expensive to evaluate: {e.Message} (backreferences, lookarounds, atomic groups and similar constructs need backtracking, which is not allowed)";
        }
        catch (ArgumentException e)
        {
            error = $"too expensive to evaluate: the pattern does not compile: {e.Message}";
        }

        return null;
    }

    private static bool TryNumber(JsonElement v, out double number)
    {
        number = 0;
        return v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out number) && double.IsFinite(number);
    }
}
