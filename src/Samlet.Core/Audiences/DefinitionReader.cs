using System.Text.Json;
using System.Text.RegularExpressions;

namespace Samlet.Audiences;

/// <summary>Reading helpers shared by the definition parsers: they note every problem with its JSON pointer and go on.</summary>
internal sealed partial class DefinitionReader
{
    public const int MaxWhere = 20;
    public const int MaxNameLength = 200;

    public List<DefinitionProblem> Problems { get; } = [];

    public static bool IsKey(string? text) => text is not null && KeyPattern().IsMatch(text);

    public static string Pointer(string path, string name) => path + "/" + name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public static string Pointer(string path, int index) => path + "/" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void Add(string path, string message) => Problems.Add(new(path, message));

    /// <summary>Notes every property of <paramref name="obj"/> not in <paramref name="allowed"/>.</summary>
    public void RefuseUnknown(JsonElement obj, string path, IReadOnlyCollection<string> allowed, string what)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                Add(Pointer(path, property.Name), $"unknown property '{property.Name}' in {what}; allowed: {string.Join(", ", allowed)}");
            }
        }
    }

    /// <summary>The property's value; null when absent or JSON null.</summary>
    public static JsonElement? Optional(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>A string property that must be present (with <paramref name="required"/>) and must pass <paramref name="valid"/>.</summary>
    public string? Text(JsonElement obj, string path, string name, bool required, Func<string, bool> valid, string rule)
    {
        var at = Pointer(path, name);
        if (Optional(obj, name) is not { } value)
        {
            if (required)
            {
                Add(path, $"missing '{name}': {rule}");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Add(at, $"'{name}' must be a string: {rule}");
            return null;
        }

        var text = value.GetString()!;
        if (!valid(text))
        {
            Add(at, $"invalid {name} \"{text}\": {rule}");
            return null;
        }

        return text;
    }

    public string? Key(JsonElement obj, string path, string name, bool required) =>
        Text(obj, path, name, required, IsKey, "a key is a lower-case letter then up to 63 lower-case letters, digits or '_' (e.g. orders_90d)");

    public string? Name(JsonElement obj, string path, string name, bool required) =>
        Text(obj, path, name, required, t => t.Trim().Length > 0 && t.Length <= MaxNameLength, $"a non-empty text of at most {MaxNameLength} characters");

    public TimeSpan? Window(JsonElement obj, string path, string name)
    {
        var text = Text(obj, path, name, false, t => WindowText.TryParse(t, out _), WindowText.Allowed);
        return text is not null && WindowText.TryParse(text, out var window) ? window : null;
    }

    /// <summary>A list of property conditions (<c>{"property", "op", "value"}</c>); empty when absent, null when wrong.</summary>
    public IReadOnlyList<PropertyCondition>? Where(JsonElement obj, string path)
    {
        if (Optional(obj, "where") is not { } where)
        {
            return [];
        }

        var at = Pointer(path, "where");
        if (where.ValueKind != JsonValueKind.Array || where.GetArrayLength() > MaxWhere)
        {
            Add(at, $"'where' must be an array of at most {MaxWhere} property conditions like {{\"property\": \"properties.total\", \"op\": \"greaterThan\", \"value\": 50}}");
            return null;
        }

        var conditions = new List<PropertyCondition>();
        var ok = true;
        var i = 0;
        foreach (var item in where.EnumerateArray())
        {
            var itemPath = Pointer(at, i++);
            if (item.ValueKind != JsonValueKind.Object)
            {
                Add(itemPath, "a property condition is an object {\"property\", \"op\", \"value\"}");
                ok = false;
                continue;
            }

            RefuseUnknown(item, itemPath, ["property", "op", "value"], "a property condition");
            var property = Text(item, itemPath, "property", true, PayloadPath.IsValid,
                "a dotted payload path with non-empty segments, e.g. properties.total or context.page.path");
            var comparison = ComparisonParser.Build(Optional(item, "op"), Value(item), itemPath, Problems);
            if (property is null || comparison is null)
            {
                ok = false;
                continue;
            }

            conditions.Add(new PropertyCondition(property, comparison));
        }

        return ok ? conditions : null;
    }

    /// <summary>The 'value' property as written: absent is null, JSON null is kept (so that it can be refused).</summary>
    public static JsonElement? Value(JsonElement obj) => obj.TryGetProperty("value", out var value) ? value : null;

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}
