using System.Globalization;
using System.Text.Json.Nodes;

namespace Samlet.Audiences;

/// <summary>
/// Recursive descent over the tokens of the audience text form (grammar in docs/audiences.md, "Text form"), building the
/// condition JSON and noting the column each node came from. It checks only the grammar: whether the values are allowed
/// (types, durations, dates, keys, patterns, counts) is left to <see cref="DefinitionParser"/>, so that there is one
/// validation path. It stops at the first grammar error (<see cref="TextSyntaxException"/>).
/// </summary>
internal sealed class TextParser(IReadOnlyList<TextToken> tokens)
{
    /// <summary>Parentheses and <c>not</c> nest at most this deep (a guard for the recursion; conditions allow 20 levels).</summary>
    public const int MaxNesting = 50;

    private const string ConditionExamples = "a condition such as plan = \"pro\", computed orders_90d >= 2, performed \"Order Completed\", member of vip or has email";
    private const string OperatorList = "=, !=, >, >=, <, <=, in, between, contains, starts with, matches, exists, within last, before or after";
    private const string ValueKinds = "a value (a string in double quotes, a number, true or false)";
    private static readonly string[] _reserved = ["and", "or", "not", "member", "has", "performed", "did", "computed", "where"];

    private int _at;

    /// <summary>The column each generated node came from (by reference).</summary>
    public Dictionary<JsonNode, int> Columns { get; } = new(ReferenceEqualityComparer.Instance);

    private TextToken Peek => tokens[_at];

    /// <summary>The whole text as one condition.</summary>
    public JsonNode Document()
    {
        var condition = Or(0);
        if (Peek.Kind != TextTokenKind.End)
        {
            throw Unexpected(Peek, "and, or or the end");
        }

        return condition;
    }

    private TextToken Next()
    {
        var token = tokens[_at];
        if (token.Kind != TextTokenKind.End)
        {
            _at++;
        }

        return token;
    }

    private JsonNode Or(int depth) => Joined("or", depth, And);

    private JsonNode And(int depth) => Joined("and", depth, Unary);

    // `a and b and c` is one {"and": [a, b, c]}; a single operand is itself.
    private JsonNode Joined(string keyword, int depth, Func<int, JsonNode> operand)
    {
        var column = Peek.Column;
        var first = operand(depth);
        if (!Peek.IsWord(keyword))
        {
            return first;
        }

        var operands = new JsonArray(first);
        while (Peek.IsWord(keyword))
        {
            Next();
            operands.Add(operand(depth));
        }

        return At(new JsonObject { [keyword] = operands }, column);
    }

    private JsonNode Unary(int depth)
    {
        if (depth >= MaxNesting)
        {
            throw new TextSyntaxException(Peek.Column, $"parentheses and not nest deeper than {MaxNesting} levels; split the condition into audiences joined with member of");
        }

        var token = Peek;
        if (token.IsWord("not"))
        {
            Next();
            return At(new JsonObject { ["not"] = Unary(depth + 1) }, token.Column);
        }

        if (token.IsSymbol("("))
        {
            Next();
            var inner = Or(depth + 1);
            Expect(")", "to close the '(' at column " + token.Column.ToString(CultureInfo.InvariantCulture));
            return inner;
        }

        return Condition();
    }

    private JsonObject Condition()
    {
        var token = Next();
        if (token.IsWord("member"))
        {
            ExpectWord("of", "after member");
            return At(new JsonObject { ["memberOf"] = Name("an audience key, e.g. member of vip") }, token.Column);
        }

        if (token.IsWord("has"))
        {
            return At(new JsonObject { ["has"] = Name("an identifier type, e.g. has email") }, token.Column);
        }

        if (token.IsWord("performed"))
        {
            return Performed(token, "performed");
        }

        if (token.IsWord("did"))
        {
            ExpectWord("not", "after did");
            ExpectWord("perform", "after did not");
            return Performed(token, "notPerformed");
        }

        if (token.IsWord("computed"))
        {
            var computed = At(new JsonObject { ["computed"] = Name("a computed trait key, e.g. computed orders_90d >= 2") }, token.Column);
            return Comparison(computed, "the computed trait");
        }

        if (token.Kind == TextTokenKind.String || (token.Kind == TextTokenKind.Word && !_reserved.Any(token.IsWord)))
        {
            var trait = At(new JsonObject { ["trait"] = At(JsonValue.Create(token.Text), token.Column) }, token.Column);
            return Comparison(trait, $"the trait {token.Shown}");
        }

        throw Unexpected(token, ConditionExamples);
    }

    private JsonObject Performed(TextToken start, string kind)
    {
        var condition = At(new JsonObject { [kind] = Name("an event name in double quotes, e.g. performed \"Order Completed\"") }, start.Column);
        if (Peek.IsWord("where"))
        {
            condition["where"] = Where();
        }

        // The count (performed only) and the window may come in either order.
        for (var i = 0; i < 2; i++)
        {
            if (Peek.IsWord("within") && !condition.ContainsKey("within"))
            {
                Next();
                condition["within"] = Duration();
            }
            else if (kind == "performed" && CountKey(Peek) is { } countKey && !condition.ContainsKey("atLeast")
                && !condition.ContainsKey("atMost") && !condition.ContainsKey("exactly"))
            {
                var (key, count) = Count(Next(), countKey);
                condition[key] = count;
            }
        }

        return condition;
    }

    private static string? CountKey(TextToken token) => token.Kind != TextTokenKind.Symbol ? null : token.Text switch
    {
        "=" or "==" => "exactly",
        ">=" or ">" => "atLeast",
        "<=" or "<" => "atMost",
        _ => null,
    };

    // "> n" is at least n + 1 and "< n" at most n - 1, so they need whole numbers; the others pass the number on to be checked.
    private (string Key, JsonNode Count) Count(TextToken symbol, string key)
    {
        var token = Next();
        if (token.Kind != TextTokenKind.Number)
        {
            throw Unexpected(token, $"a count (a whole number) after {symbol.Text}");
        }

        if (symbol.Text is ">" or "<")
        {
            if (!long.TryParse(token.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || n < 0 || n == long.MaxValue)
            {
                throw new TextSyntaxException(token.Column, $"a count is a whole number ≥ 0; got {token.Text}");
            }

            if (symbol.Text == "<" && n == 0)
            {
                throw new TextSyntaxException(symbol.Column, "fewer than 0 events can never happen; use = 0 for none");
            }

            return (key, At(JsonValue.Create(symbol.Text == ">" ? n + 1 : n - 1), token.Column));
        }

        return (key, Number(token));
    }

    private JsonArray Where()
    {
        var where = Next();
        Expect("(", "after where: where (properties.total > 50 and properties.currency = \"DKK\")");
        var list = At(new JsonArray(), where.Column);
        do
        {
            var path = Next();
            if (path.Kind is not (TextTokenKind.Word or TextTokenKind.String) || _reserved.Any(path.IsWord))
            {
                throw Unexpected(path, "an event property such as properties.total");
            }

            var condition = At(new JsonObject { ["property"] = At(JsonValue.Create(path.Text), path.Column) }, path.Column);
            list.Add(Comparison(condition, $"the property {path.Shown}"));
        }
        while (Skip("and"));

        if (Peek.IsWord("or") || Peek.IsWord("not"))
        {
            throw new TextSyntaxException(Peek.Column, "a where list joins property conditions with and only; write alternatives as separate performed conditions joined with or");
        }

        Expect(")", "to close the where list");
        return list;
    }

    private JsonObject Comparison(JsonObject target, string subject)
    {
        var token = Next();
        var op = token.Kind == TextTokenKind.Symbol ? token.Text switch
        {
            "=" or "==" => "equals",
            "!=" => "notEquals",
            ">" => "greaterThan",
            ">=" => "greaterThanOrEqual",
            "<" => "lessThan",
            "<=" => "lessThanOrEqual",
            _ => null,
        } : token.Kind == TextTokenKind.Word ? token.Text.ToLowerInvariant() switch
        {
            "in" or "between" or "contains" or "matches" or "exists" or "before" or "after" => token.Text.ToLowerInvariant(),
            "starts" => "startsWith",
            "within" => "withinLast",
            _ => null,
        } : null;
        if (op is null)
        {
            throw token.Kind == TextTokenKind.Word
                ? new TextSyntaxException(token.Column, $"unknown operator '{token.Text}' after {subject}; use {OperatorList}")
                : Unexpected(token, $"an operator after {subject}: {OperatorList}");
        }

        target["op"] = op;
        switch (op)
        {
            case "exists":
                break;
            case "startsWith":
                ExpectWord("with", "after starts");
                target["value"] = Value($"starts with");
                break;
            case "withinLast":
                ExpectWord("last", "after within");
                target["value"] = Duration();
                break;
            case "in":
                target["value"] = List();
                break;
            case "between":
                {
                    var low = Value("between");
                    ExpectWord("and", "between the two bounds of between");
                    target["value"] = At(new JsonArray(low, Value("between … and")), Columns[low]);
                    break;
                }

            default:
                target["value"] = Value(token.Text);
                break;
        }

        return target;
    }

    private JsonArray List()
    {
        var open = Peek;
        Expect("(", "after in: country in (\"DK\", \"SE\")");
        var list = At(new JsonArray(), open.Column);
        if (!Peek.IsSymbol(")"))
        {
            list.Add(Value("in ("));
            while (Peek.IsSymbol(","))
            {
                Next();
                list.Add(Value(","));
            }
        }

        Expect(")", "to close the in list");
        return list;
    }

    private JsonNode Value(string after)
    {
        var token = Next();
        return token.Kind switch
        {
            TextTokenKind.String => At(JsonValue.Create(token.Text), token.Column),
            TextTokenKind.Number => Number(token),
            TextTokenKind.Word when token.IsWord("true") || token.IsWord("false") => At(JsonValue.Create(token.IsWord("true")), token.Column),
            _ => throw Unexpected(token, $"{ValueKinds} after {after}"),
        };
    }

    private JsonNode Duration()
    {
        var token = Next();
        if (token.Kind is not (TextTokenKind.Duration or TextTokenKind.String))
        {
            throw Unexpected(token, "a duration such as 7d or 12h");
        }

        return At(JsonValue.Create(token.Text), token.Column);
    }

    private JsonNode Name(string what)
    {
        var token = Next();
        if (token.Kind is not (TextTokenKind.Word or TextTokenKind.String) || (token.Kind == TextTokenKind.Word && _reserved.Any(token.IsWord)))
        {
            throw Unexpected(token, what);
        }

        return At(JsonValue.Create(token.Text), token.Column);
    }

    private JsonNode Number(TextToken token)
    {
        if (!token.Text.Contains('.', StringComparison.Ordinal) && !token.Text.Contains('e', StringComparison.OrdinalIgnoreCase)
            && long.TryParse(token.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            return At(JsonValue.Create(whole), token.Column);
        }

        if (!double.TryParse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
        {
            throw new TextSyntaxException(token.Column, $"the number {token.Text} is too large");
        }

        return At(JsonValue.Create(number), token.Column);
    }

    private bool Skip(string keyword)
    {
        if (!Peek.IsWord(keyword))
        {
            return false;
        }

        Next();
        return true;
    }

    private void Expect(string symbol, string context)
    {
        if (!Peek.IsSymbol(symbol))
        {
            throw Unexpected(Peek, $"'{symbol}' {context}");
        }

        Next();
    }

    private void ExpectWord(string keyword, string context)
    {
        if (!Peek.IsWord(keyword))
        {
            throw Unexpected(Peek, $"'{keyword}' {context}");
        }

        Next();
    }

    private static TextSyntaxException Unexpected(TextToken token, string expected) => new(token.Column, token.Kind switch
    {
        TextTokenKind.End => $"missing {expected} at the end",
        TextTokenKind.Duration when !expected.StartsWith("a duration", StringComparison.Ordinal) => $"expected {expected}; got {token.Shown} (a duration goes after within)",
        _ => $"expected {expected}; got {token.Shown}",
    });

    private T At<T>(T node, int column)
        where T : JsonNode
    {
        Columns[node] = column;
        return node;
    }
}
