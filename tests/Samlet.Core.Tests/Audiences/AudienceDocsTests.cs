using System.Text.Json;
using System.Text.RegularExpressions;
using Samlet.Audiences;

namespace Samlet.Core.Tests.Audiences;

/// <summary>docs/audiences.md and docs/audiences.schema.json stay true to the parser.</summary>
public sealed partial class AudienceDocsTests
{
    private static string RepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Samlet.slnx")))
            {
                return File.ReadAllText(Path.Combine(dir.FullName, relative));
            }
        }

        throw new InvalidOperationException("Samlet.slnx not found above " + AppContext.BaseDirectory);
    }

    private static List<string> JsonExamples() =>
        [.. JsonFence().Matches(RepoFile("docs/audiences.md")).Select(m => m.Groups[1].Value)];

    [Fact]
    public void Every_json_example_in_the_audience_docs_parses()
    {
        var examples = JsonExamples();
        Assert.True(examples.Count >= 8, $"found {examples.Count} examples");
        var audiences = 0;
        foreach (var example in examples)
        {
            using var document = JsonDocument.Parse(example);
            IReadOnlyList<DefinitionProblem> problems;
            if (document.RootElement.TryGetProperty("condition", out _))
            {
                audiences++;
                problems = DefinitionParser.ParseAudience(example).Problems;
            }
            else
            {
                problems = DefinitionParser.ParseComputedTrait(example).Problems;
            }

            Assert.True(problems.Count == 0, example + "\n" + string.Join("\n", problems));
        }

        Assert.True(audiences >= 4);
    }

    [Fact]
    public void The_worked_examples_reference_only_definitions_on_the_page_or_the_newsletter()
    {
        var examples = JsonExamples();
        var traits = examples.Select(DefinitionParser.ParseComputedTrait).Where(p => p.IsValid).Select(p => p.Value.Key);
        var audiences = examples.Where(e => e.Contains("\"condition\"", StringComparison.Ordinal)).Select(e => Build.Audience(e))
            .Append(Build.Audience("""{"key": "newsletter", "condition": {"has": "email"}}"""));
        Assert.Empty(AudienceGraph.Build(audiences, traits).Problems);
    }

    [Fact]
    public void The_schema_is_json_and_lists_the_operators_and_aggregations_the_parser_accepts()
    {
        using var schema = JsonDocument.Parse(RepoFile("docs/audiences.schema.json"));
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.RootElement.GetProperty("$schema").GetString());
        var defs = schema.RootElement.GetProperty("$defs");
        var ops = defs.GetProperty("comparison").GetProperty("properties").GetProperty("op").GetProperty("enum")
            .EnumerateArray().Select(e => e.GetString()!);
        Assert.Equal(Enum.GetValues<ComparisonOperator>().Select(o => o.ToName()), ops);
        var aggregations = defs.GetProperty("computedTrait").GetProperty("properties").GetProperty("aggregation").GetProperty("enum")
            .EnumerateArray().Select(e => e.GetString()!);
        Assert.Equal(Enum.GetValues<Aggregation>().Select(a => a.ToName()), aggregations);
    }

    [Fact]
    public void The_text_form_examples_parse_and_the_worked_examples_read_as_their_json()
    {
        var page = RepoFile("docs/audiences.md");
        var start = page.IndexOf("## Text form (CLI)", StringComparison.Ordinal);
        var section = page[start..page.IndexOf("\n## ", start + 1, StringComparison.Ordinal)];
        var fences = TextFence().Matches(section).Select(m => m.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(2, fences.Count);
        foreach (var line in fences.SelectMany(f => f))
        {
            var parsed = AudienceText.Parse(line);
            Assert.True(parsed.IsValid, line + "\n" + string.Join("\n", parsed.Problems));
        }

        var worked = JsonExamples().Where(e => e.Contains("\"condition\"", StringComparison.Ordinal)).TakeLast(4).Select(e => Build.Audience(e).Condition);
        var written = fences[0].Select(line => Build.Audience(AudienceText.Definition(AudienceText.Parse(line).Json!)).Condition);
        Assert.Equal(worked.Select(AudienceTextTests.Shape), written.Select(AudienceTextTests.Shape));
    }

    [GeneratedRegex("```text\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex TextFence();

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonFence();
}
