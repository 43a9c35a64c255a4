using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Samlet.Audiences;

/// <summary>
/// The compact text form of an audience condition, for the command line: <c>plan = "pro" and performed "Order Completed"
/// >= 2 within 90d</c>. The text becomes the equivalent condition JSON, which <see cref="DefinitionParser.ParseAudience"/>
/// then checks as it checks any definition; its problems are placed at columns of the text. Grammar: docs/audiences.md.
/// </summary>
public static class AudienceText
{
    private const string Key = "text";

    private static readonly JsonSerializerOptions _compact = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = 256,
    };

    public static TextCondition Parse(string text)
    {
        var (tokens, lexProblem) = TextLexer.Read(text);
        if (lexProblem is not null)
        {
            return Refused(lexProblem);
        }

        var parser = new TextParser(tokens);
        JsonNode condition;
        try
        {
            condition = parser.Document();
        }
        catch (TextSyntaxException e)
        {
            return Refused(e.Problem);
        }

        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        Point(condition, "/condition", parser.Columns, columns);
        var json = condition.ToJsonString(_compact);
        var checkedDefinition = DefinitionParser.ParseAudience(Definition(json));
        var located = new TextCondition(json, [], columns);
        return checkedDefinition.IsValid
            ? located
            : new TextCondition(null, [.. checkedDefinition.Problems.Select(located.Locate).OrderBy(p => p.Column)], columns);
    }

    /// <summary>An audience definition <c>{"key": …, "condition": …}</c> around condition JSON.</summary>
    public static string Definition(string conditionJson, string key = Key) =>
        $"{{\"key\":{JsonSerializer.Serialize(key)},\"condition\":{conditionJson}}}";

    private static TextCondition Refused(TextProblem problem) => new(null, [problem], new Dictionary<string, int>());

    // The JSON pointer of every node the parser placed, as DefinitionParser names it in its problems.
    private static void Point(JsonNode node, string pointer, Dictionary<JsonNode, int> placed, Dictionary<string, int> columns)
    {
        if (placed.TryGetValue(node, out var column))
        {
            columns[pointer] = column;
        }

        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    if (child is not null)
                    {
                        Point(child, pointer + "/" + name, placed, columns);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } child)
                    {
                        Point(child, $"{pointer}/{i}", placed, columns);
                    }
                }

                break;
        }
    }
}
