using System.Text.Json;

namespace Samlet.Server.Tests.Cli;

public sealed class BasketCliTests
{
    // mlxtend's apriori example (Onion twice in the last basket) plus a label that ends in a space.
    private static readonly string _baskets = string.Join('\n',
        "Milk,Onion,Nutmeg,Kidney Beans,Eggs,Yogurt",
        "Dill,Onion,Nutmeg,Kidney Beans,Eggs,Yogurt",
        "Milk,Apple,Kidney Beans,Eggs",
        "Milk,Unicorn,Corn,Kidney Beans,Yogurt",
        "Corn,Onion,Onion,Kidney Beans,Ice cream,Eggs,cream cheese ");

    [Fact]
    public async Task Prints_rules_with_all_measures_as_json()
    {
        using var file = new TempFile("baskets.csv", _baskets);

        var (exitCode, output, error) = await SamletCli.RunAsync(
            "analytics", "basket", "--baskets", file.Path, "--min-support", "0.6", "--min-confidence", "0.7", "--format", "json");

        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(5, root.GetProperty("transactions").GetInt32());
        Assert.Equal(3, root.GetProperty("minCount").GetInt32());
        var rules = root.GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(12, root.GetProperty("ruleCount").GetInt32());
        Assert.Equal(12, rules.Count);
        var eggsOnion = rules.Single(r => r.GetProperty("consequent").GetString() == "Onion"
            && r.GetProperty("antecedent").EnumerateArray().Select(i => i.GetString()).SequenceEqual(["Eggs"]));
        Assert.Equal(0.75, eggsOnion.GetProperty("confidence").GetDouble(), 12);
        Assert.Equal(0.75 / 0.6, eggsOnion.GetProperty("lift").GetDouble(), 12);
        Assert.Equal(0.6 - (0.8 * 0.6), eggsOnion.GetProperty("leverage").GetDouble(), 12);
        Assert.Equal(1.6, eggsOnion.GetProperty("conviction").GetDouble(), 12);
        // Onion => Eggs never fails: infinite conviction is written as null.
        var onionEggs = rules.Single(r => r.GetProperty("consequent").GetString() == "Eggs"
            && r.GetProperty("antecedent").EnumerateArray().Select(i => i.GetString()).SequenceEqual(["Onion"]));
        Assert.Equal(JsonValueKind.Null, onionEggs.GetProperty("conviction").ValueKind);
    }

    [Fact]
    public async Task Prints_one_csv_row_per_rule_keeping_labels_exactly()
    {
        using var file = new TempFile("baskets.csv", _baskets);

        var (exitCode, output, _) = await SamletCli.RunAsync(
            "analytics", "basket", "--baskets", file.Path, "--min-support", "0.2", "--min-confidence", "1", "--format", "csv");

        Assert.Equal(0, exitCode);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal("antecedent,consequent,count,support,coverage,confidence,lift,leverage,conviction", lines[0]);
        // "cream cheese " is only in the last basket, so it implies Corn with confidence 1 (lift 5 / 2, conviction Inf).
        Assert.Contains("{cream cheese },Corn,1,0.2,0.2,1,2.5,0.12,Inf", lines);
        Assert.Contains(lines, line => line.StartsWith("\"{Corn,", StringComparison.Ordinal)); // a comma inside: quoted
        Assert.All(lines.Skip(1), line => Assert.Equal("1", Fields(line)[5]));
    }

    /// <summary>Splits a CSV line whose only quoted field may be the first.</summary>
    private static string[] Fields(string line)
    {
        if (!line.StartsWith('"'))
        {
            return line.Split(',');
        }

        var close = line.IndexOf("\",", 1, StringComparison.Ordinal);
        return [line[1..close], .. line[(close + 2)..].Split(',')];
    }

    [Fact]
    public async Task Prints_a_table_by_default()
    {
        using var file = new TempFile("baskets.csv", _baskets);

        var (exitCode, output, _) = await SamletCli.RunAsync("analytics", "basket", "--baskets", file.Path, "--min-support", "0.6", "--min-confidence", "0.7");

        Assert.Equal(0, exitCode);
        Assert.Contains("5 baskets, 12 items", output, StringComparison.Ordinal);
        Assert.Contains("12 rules", output, StringComparison.Ordinal);
        Assert.Contains("{Yogurt}", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--min-support", "0", "--min-support")]
    [InlineData("--min-support", "1.5", "--min-support")]
    [InlineData("--min-confidence", "-1", "--min-confidence")]
    [InlineData("--min-support", "lots", "lots")]
    [InlineData("--format", "xml", "xml")]
    [InlineData("--max-length", "0", "--max-length")]
    public async Task Rejects_bad_option_values_with_exit_code_2(string option, string value, string mentioned)
    {
        using var file = new TempFile("baskets.csv", _baskets);
        var args = new Dictionary<string, string> { ["--min-support"] = "0.5", ["--min-confidence"] = "0.5", [option] = value };

        var (exitCode, output, error) = await SamletCli.RunAsync(
            ["analytics", "basket", "--baskets", file.Path, .. args.SelectMany(pair => new[] { pair.Key, pair.Value })]);

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.Contains(mentioned, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_a_missing_file_an_empty_file_and_missing_options_with_exit_code_2()
    {
        using var empty = new TempFile("empty.csv", "\n\n");

        var missing = await SamletCli.RunAsync("analytics", "basket", "--baskets", "/no/such/file.csv", "--min-support", "0.1", "--min-confidence", "0.5");
        var blank = await SamletCli.RunAsync("analytics", "basket", "--baskets", empty.Path, "--min-support", "0.1", "--min-confidence", "0.5");
        var incomplete = await SamletCli.RunAsync("analytics", "basket", "--baskets", empty.Path);
        var extra = await SamletCli.RunAsync("analytics", "basket", "--baskets", empty.Path, "--min-support", "0.1", "--min-confidence", "0.5", "surplus");

        Assert.Equal((2, "/no/such/file.csv"), (missing.ExitCode, Mentioned(missing.Error, "/no/such/file.csv")));
        Assert.Equal((2, "no basket"), (blank.ExitCode, Mentioned(blank.Error, "no basket")));
        Assert.Equal((2, "--min-support"), (incomplete.ExitCode, Mentioned(incomplete.Error, "--min-support")));
        Assert.Equal((2, "surplus"), (extra.ExitCode, Mentioned(extra.Error, "surplus")));
    }

    private static string? Mentioned(string text, string expected) => text.Contains(expected, StringComparison.Ordinal) ? expected : text;
}
