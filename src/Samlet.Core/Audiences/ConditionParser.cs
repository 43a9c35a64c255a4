using System.Text.Json;
using Samlet.Events;

namespace Samlet.Audiences;

/// <summary>Reads an audience's condition tree; each node is an object with exactly one kind key.</summary>
internal sealed class ConditionParser(DefinitionReader reader)
{
    public const int MaxDepth = 20;
    public const int MaxNodes = 200;
    public const int MaxChildren = 50;

    private static readonly string[] _kinds = ["and", "or", "not", "trait", "computed", "performed", "notPerformed", "memberOf", "has"];
    private static readonly string _kindList = string.Join(", ", _kinds);
    private static readonly string[] _bounds = ["atLeast", "atMost", "exactly"];

    private int _nodes;

    public Condition? Parse(JsonElement node, string path) => Node(node, path, 1);

    private Condition? Node(JsonElement node, string path, int depth)
    {
        if (++_nodes == MaxNodes + 1)
        {
            reader.Add("/condition", $"the condition has more than {MaxNodes} nodes; split it into audiences joined with memberOf");
        }

        if (depth > MaxDepth)
        {
            reader.Add(path, $"conditions nest deeper than {MaxDepth} levels; split them into audiences joined with memberOf");
            return null;
        }

        if (node.ValueKind != JsonValueKind.Object)
        {
            reader.Add(path, $"a condition is an object with exactly one of {_kindList}");
            return null;
        }

        var kinds = _kinds.Where(k => node.TryGetProperty(k, out _)).ToArray();
        if (kinds.Length != 1)
        {
            reader.Add(path, kinds.Length == 0
                ? $"a condition needs exactly one of {_kindList}"
                : $"a condition has exactly one kind; this one has {string.Join(" and ", kinds)}");
            return null;
        }

        var kind = kinds[0];
        reader.RefuseUnknown(node, path, Allowed(kind), $"a '{kind}' condition");
        var at = DefinitionReader.Pointer(path, kind);
        var value = node.GetProperty(kind);
        switch (kind)
        {
            case "and":
            case "or":
                return Group(kind, value, at, depth);
            case "not":
                if (value.ValueKind != JsonValueKind.Object)
                {
                    reader.Add(at, "'not' takes one condition object");
                    return null;
                }

                return Node(value, at, depth + 1) is { } inner ? new NotCondition(inner) : null;
            case "trait":
                {
                    var key = reader.Text(node, path, kind, true, t => t.Trim().Length > 0 && t.Length <= DefinitionReader.MaxNameLength,
                        $"a trait key: a non-empty text of at most {DefinitionReader.MaxNameLength} characters");
                    var comparison = ComparisonParser.Build(DefinitionReader.Optional(node, "op"), DefinitionReader.Value(node), path, reader.Problems);
                    return key is null || comparison is null ? null : new TraitCondition(key, comparison);
                }

            case "computed":
                {
                    var key = reader.Key(node, path, kind, required: true);
                    var comparison = ComparisonParser.Build(DefinitionReader.Optional(node, "op"), DefinitionReader.Value(node), path, reader.Problems);
                    return key is null || comparison is null ? null : new ComputedTraitCondition(key, comparison);
                }

            case "performed":
            case "notPerformed":
                return Performed(node, path, kind);
            case "memberOf":
                return reader.Key(node, path, kind, required: true) is { } audience ? new MemberOfCondition(audience) : null;
            default:
                return reader.Text(node, path, kind, true, DefinitionReader.IsKey,
                    "an identifier type: a lower-case letter then up to 63 lower-case letters, digits or '_' (email, phone, user_id, anonymous_id, device_id, …)")
                    is { } type ? new HasIdentifierCondition(type) : null;
        }
    }

    private static string[] Allowed(string kind) => kind switch
    {
        "trait" or "computed" => [kind, "op", "value"],
        "performed" => [kind, "where", "within", .. _bounds],
        "notPerformed" => [kind, "where", "within"],
        _ => [kind],
    };

    private Condition? Group(string kind, JsonElement value, string at, int depth)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is 0 or > MaxChildren)
        {
            reader.Add(at, $"'{kind}' takes a non-empty array of at most {MaxChildren} conditions");
            return null;
        }

        var children = new List<Condition>();
        var ok = true;
        var i = 0;
        foreach (var child in value.EnumerateArray())
        {
            if (Node(child, DefinitionReader.Pointer(at, i++), depth + 1) is { } parsed)
            {
                children.Add(parsed);
            }
            else
            {
                ok = false;
            }
        }

        return !ok ? null : kind == "and" ? new AllOf(children) : new AnyOf(children);
    }

    private PerformedCondition? Performed(JsonElement node, string path, string kind)
    {
        var eventName = reader.Text(node, path, kind, true, t => t.Trim().Length > 0 && t.Length <= DefinitionReader.MaxNameLength,
            $"a track event name: a non-empty text of at most {DefinitionReader.MaxNameLength} characters");
        var where = reader.Where(node, path);
        var window = reader.Window(node, path, "within");
        var bound = kind == "notPerformed" ? new CountBound(CountBoundKind.AtMost, 0) : Bound(node, path);
        if (eventName is null || where is null || bound is null)
        {
            return null;
        }

        var spec = new AggregateSpec(Aggregation.Count, null, new EventFilter(EventType.Track, eventName, where), window);
        return new PerformedCondition(spec, bound);
    }

    private CountBound? Bound(JsonElement node, string path)
    {
        var given = _bounds.Where(b => DefinitionReader.Optional(node, b) is not null).ToArray();
        if (given.Length > 1)
        {
            reader.Add(DefinitionReader.Pointer(path, given[1]), $"use at most one of atLeast, atMost, exactly; this condition has {string.Join(" and ", given)}");
            return null;
        }

        if (given.Length == 0)
        {
            return new CountBound(CountBoundKind.AtLeast, 1);
        }

        var value = node.GetProperty(given[0]);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var count) || count < 0)
        {
            reader.Add(DefinitionReader.Pointer(path, given[0]), $"'{given[0]}' must be a whole number ≥ 0; got {value.GetRawText()}");
            return null;
        }

        var boundKind = given[0] switch
        {
            "atLeast" => CountBoundKind.AtLeast,
            "atMost" => CountBoundKind.AtMost,
            _ => CountBoundKind.Exactly,
        };
        return new CountBound(boundKind, count);
    }
}
