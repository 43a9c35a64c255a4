using System.Text.Json;

namespace Samlet.Server.Tests.Cli;

public sealed class AttributionCliTests
{
    // ChannelAttribution's layout. The third path has a blank channel between its touches.
    private const string Paths = """
        "path","total_conversions","total_conversion_value","total_null"
        "a > b > c",1,10,0
        "a > a",2,4,1
        "c >  > b",1,1,3
        "b",0,0,5
        """;

    private static readonly string[] _models = ["first_touch", "last_touch", "linear", "time_decay", "position_based", "markov"];

    [Fact]
    public async Task Prints_every_model_as_json_each_attributing_the_total()
    {
        using var file = new TempFile("paths.csv", Paths);

        var (exitCode, output, error) = await SamletCli.RunAsync("analytics", "attribution", "--paths", file.Path, "--format", "json");

        Assert.Equal(0, exitCode);
        Assert.Empty(error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(4, root.GetProperty("paths").GetInt32());
        Assert.Equal(4, root.GetProperty("totalConversions").GetDouble());
        Assert.Equal(["(unknown)", "a", "b", "c"], root.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        var models = root.GetProperty("models");
        Assert.Equal(_models, models.EnumerateObject().Select(m => m.Name));
        foreach (var model in models.EnumerateObject())
        {
            Assert.Equal(4, model.Value.EnumerateArray().Sum(c => c.GetProperty("conversions").GetDouble()), 9);
            Assert.Equal(15, model.Value.EnumerateArray().Sum(c => c.GetProperty("conversionValue").GetDouble()), 9);
        }

        // 4 conversions out of 4 + 9 journeys.
        Assert.Equal(4.0 / 13, root.GetProperty("markov").GetProperty("conversionProbability").GetDouble(), 12);
        Assert.All(
            root.GetProperty("markov").GetProperty("removalEffects").EnumerateArray(),
            effect => Assert.InRange(effect.GetProperty("removalEffect").GetDouble(), 0, 1));
    }

    [Fact]
    public async Task Prints_one_csv_row_per_channel_with_a_column_pair_per_model()
    {
        using var file = new TempFile("paths.csv", Paths);

        var (exitCode, output, _) = await SamletCli.RunAsync("analytics", "attribution", "--paths", file.Path, "--format", "csv");

        Assert.Equal(0, exitCode);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("channel,first_touch_conversions,first_touch_conversion_value,last_touch_conversions,", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(",markov_removal_effect,markov_value_removal_effect", lines[0], StringComparison.Ordinal);
        // First touch: a gets 1 + 2 conversions worth 10 + 4.
        Assert.StartsWith("a,3,14,", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prints_tables_by_default()
    {
        using var file = new TempFile("paths.csv", Paths);

        var (exitCode, output, _) = await SamletCli.RunAsync("analytics", "attribution", "--paths", file.Path);

        Assert.Equal(0, exitCode);
        Assert.Contains("4 paths", output, StringComparison.Ordinal);
        Assert.Contains("position_based", output, StringComparison.Ordinal);
        Assert.Contains("removal_effect", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changes_only_time_decay_with_the_half_life()
    {
        using var file = new TempFile("paths.csv", Paths);

        var (_, slow, _) = await SamletCli.RunAsync("analytics", "attribution", "--paths", file.Path, "--format", "json", "--half-life", "100");
        var (_, fast, _) = await SamletCli.RunAsync("analytics", "attribution", "--paths", file.Path, "--format", "json", "--half-life", "0.1");

        using var slowJson = JsonDocument.Parse(slow);
        using var fastJson = JsonDocument.Parse(fast);
        double CreditOfA(JsonDocument json, string model) => json.RootElement.GetProperty("models").GetProperty(model)
            .EnumerateArray().Single(c => c.GetProperty("channel").GetString() == "a").GetProperty("conversions").GetDouble();
        Assert.True(CreditOfA(slowJson, "time_decay") > CreditOfA(fastJson, "time_decay"));
        Assert.Equal(CreditOfA(slowJson, "linear"), CreditOfA(fastJson, "linear"));
    }

    [Theory]
    [InlineData("\"route\",\"total_conversions\"\n\"a\",1\n", "'path'")]
    [InlineData("path,total_conversions\n\"a > b\",-2\n", "Line 2")]
    [InlineData("path,total_conversions\n", "no path")]
    [InlineData("", "empty")]
    public async Task Rejects_malformed_path_files_with_exit_code_2(string text, string mentioned)
    {
        using var file = new TempFile("paths.csv", text);

        var (exitCode, output, error) = await SamletCli.RunAsync("analytics", "attribution", "--paths", file.Path);

        Assert.Equal(2, exitCode);
        Assert.Empty(output);
        Assert.Contains(mentioned, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_a_missing_file_and_a_non_positive_half_life_with_exit_code_2()
    {
        using var file = new TempFile("paths.csv", Paths);

        var missing = await SamletCli.RunAsync("analytics", "attribution", "--paths", "/no/such/paths.csv");
        var halfLife = await SamletCli.RunAsync("analytics", "attribution", "--paths", file.Path, "--half-life", "0");
        var noPaths = await SamletCli.RunAsync("analytics", "attribution");

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("/no/such/paths.csv", missing.Error, StringComparison.Ordinal);
        Assert.Equal(2, halfLife.ExitCode);
        Assert.Contains("--half-life", halfLife.Error, StringComparison.Ordinal);
        Assert.Equal(2, noPaths.ExitCode);
        Assert.Contains("--paths", noPaths.Error, StringComparison.Ordinal);
    }
}
