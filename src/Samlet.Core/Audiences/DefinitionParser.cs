using System.Text.Json;
using Samlet.Events;

namespace Samlet.Audiences;

/// <summary>
/// Turns JSON definitions of computed traits and audiences into the model, or lists every problem found, each with a
/// JSON pointer to the wrong node. Unknown properties are refused.
/// </summary>
public static class DefinitionParser
{
    private static readonly string[] _traitProperties = ["key", "name", "aggregation", "event", "type", "where", "property", "window"];
    private static readonly string[] _audienceProperties = ["key", "name", "description", "condition"];

    private static readonly (Aggregation Aggregation, string Name)[] _aggregations =
    [
        (Aggregation.Count, "count"), (Aggregation.Sum, "sum"), (Aggregation.Min, "min"), (Aggregation.Max, "max"),
        (Aggregation.Average, "average"), (Aggregation.First, "first"), (Aggregation.Last, "last"),
        (Aggregation.MostFrequent, "mostFrequent"), (Aggregation.DistinctValues, "distinctValues"),
        (Aggregation.DistinctCount, "distinctCount"),
    ];

    private static readonly string _aggregationList = string.Join(", ", _aggregations.Select(a => a.Name));
    private static readonly string _typeList = string.Join(", ", Enum.GetValues<EventType>().Select(t => t.ToWire()));

    public const int MaxDescriptionLength = 2000;

    public static string ToName(this Aggregation aggregation) => _aggregations[(int)aggregation].Name;

    public static Parsed<ComputedTraitDefinition> ParseComputedTrait(string json) =>
        Parse(json, "computed trait", (root, reader) => ComputedTrait(root, reader));

    public static Parsed<AudienceDefinition> ParseAudience(string json) =>
        Parse(json, "audience", (root, reader) => Audience(root, reader));

    private static Parsed<T> Parse<T>(string json, string what, Func<JsonElement, DefinitionReader, T?> read)
        where T : class
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 128 });
        }
        catch (JsonException e)
        {
            return new(null, [new DefinitionProblem("", $"not valid JSON: {e.Message}")]);
        }

        using (document)
        {
            var reader = new DefinitionReader();
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                reader.Add("", $"a {what} definition is a JSON object");
                return new(null, reader.Problems);
            }

            var definition = read(document.RootElement, reader);
            return reader.Problems.Count == 0 && definition is not null ? new(definition, []) : new(null, reader.Problems);
        }
    }

    private static ComputedTraitDefinition? ComputedTrait(JsonElement root, DefinitionReader reader)
    {
        reader.RefuseUnknown(root, "", _traitProperties, "a computed trait");
        var key = reader.Key(root, "", "key", required: true);
        var name = reader.Name(root, "", "name", required: false);
        var aggregationName = reader.Text(root, "", "aggregation", true,
            t => _aggregations.Any(a => a.Name == t), $"use one of {_aggregationList}");
        var aggregation = _aggregations.FirstOrDefault(a => a.Name == aggregationName).Aggregation;

        var typeName = reader.Text(root, "", "type", false,
            t => EventTypes.TryParse(t, out var parsed) && parsed.ToWire() == t, $"use one of {_typeList}");
        var eventName = reader.Name(root, "", "event", required: false);
        EventType? type = typeName is not null && EventTypes.TryParse(typeName, out var parsedType) ? parsedType : null;
        if (eventName is not null)
        {
            if (type is { } t && t != EventType.Track)
            {
                reader.Add("/event", $"'event' names a track event, so it needs type track (or no type); type is {typeName}");
            }

            type ??= EventType.Track;
        }

        var where = reader.Where(root, "");
        var property = reader.Text(root, "", "property", aggregationName is not null && aggregation != Aggregation.Count,
            PayloadPath.IsValid, "a dotted payload path with non-empty segments, e.g. properties.total or context.page.path; " +
            "every aggregation but count needs one");
        var window = reader.Window(root, "", "window");
        if (key is null || aggregationName is null || where is null)
        {
            return null;
        }

        return new ComputedTraitDefinition(key, name ?? key,
            new AggregateSpec(aggregation, property, new EventFilter(type, eventName, where), window));
    }

    private static AudienceDefinition? Audience(JsonElement root, DefinitionReader reader)
    {
        reader.RefuseUnknown(root, "", _audienceProperties, "an audience");
        var key = reader.Key(root, "", "key", required: true);
        var name = reader.Name(root, "", "name", required: false);
        var description = reader.Text(root, "", "description", false, t => t.Length <= MaxDescriptionLength,
            $"a text of at most {MaxDescriptionLength} characters");
        Condition? condition = null;
        if (DefinitionReader.Optional(root, "condition") is { } node)
        {
            condition = new ConditionParser(reader).Parse(node, "/condition");
        }
        else
        {
            reader.Add("", "missing 'condition': an object such as {\"trait\": \"plan\", \"op\": \"equals\", \"value\": \"pro\"} or {\"and\": [...]}");
        }

        return key is null || condition is null ? null : new AudienceDefinition(key, name ?? key, description, condition);
    }
}
