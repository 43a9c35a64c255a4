using System.Text.Json;
using Samlet.Audiences;

namespace Samlet.Core.Tests.Audiences;

/// <summary>Small builders: JSON values and comparisons from their JSON spelling.</summary>
internal static class Build
{
    public static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>The comparison a definition with <c>"op": op, "value": valueJson</c> gives (no value when null).</summary>
    public static Comparison Comparison(string op, string? valueJson)
    {
        var problems = new List<DefinitionProblem>();
        var comparison = ComparisonParser.Build(Json($"\"{op}\""), valueJson is null ? null : Json(valueJson), "", problems);
        Assert.True(comparison is not null, string.Join("; ", problems));
        return comparison!;
    }

    public static IReadOnlyList<DefinitionProblem> Problems(string op, string? valueJson)
    {
        var problems = new List<DefinitionProblem>();
        Assert.Null(ComparisonParser.Build(Json($"\"{op}\""), valueJson is null ? null : Json(valueJson), "", problems));
        return problems;
    }

    public static bool Matches(string op, string? operand, string? value, DateTimeOffset now = default) =>
        Comparison(op, operand).Matches(value is null ? null : Json(value), now);

    public static AudienceDefinition Audience(string json) => DefinitionParser.ParseAudience(json).Value;

    public static ComputedTraitDefinition Trait(string json) => DefinitionParser.ParseComputedTrait(json).Value;
}
