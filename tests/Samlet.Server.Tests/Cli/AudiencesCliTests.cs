using Samlet.Server.Tests.Audiences;

namespace Samlet.Server.Tests.Cli;

/// <summary>
/// <c>samlet audiences list|preview|members|export</c> and <c>samlet computed-traits list</c>, run in-process as the
/// real command tree on the store of a running server whose pipeline put profiles into audiences.
/// </summary>
public sealed class AudiencesCliTests : IAsyncLifetime
{
    private readonly SamletServer _server = new();
    private AudienceApi _api = null!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _api = new AudienceApi(_server);
        await _api.PutAsync("/api/computed-traits/lifetime_spend", AudienceApi.LifetimeSpend);
        await _api.PutAsync("/api/audiences/big_spenders", AudienceApi.BigSpenders);
        await _api.PutAsync("/api/audiences/repeat_buyers", AudienceApi.RepeatBuyers);
        await _api.TrackAsync(
            """{"type":"identify","userId":"alice","messageId":"a1","traits":{"email":"alice@example.com","plan":"pro, yearly"}}""",
            """{"type":"track","userId":"alice","event":"Order Completed","messageId":"a2","properties":{"total":150}}""",
            """{"type":"identify","userId":"bob","messageId":"b1","traits":{"email":"bob@example.com"}}""",
            """{"type":"track","userId":"bob","event":"Order Completed","messageId":"b2","properties":{"total":20}}""",
            """{"type":"track","userId":"bob","event":"Order Completed","messageId":"b3","properties":{"total":30}}""");
        await _server.WaitForPipelineAsync();
        await _api.SettleAsync();
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    private Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) => SamletCli.RunAsync([.. args, .. _server.StoreArguments]);

    [Fact]
    public async Task List_shows_audiences_with_member_counts_and_computed_traits_with_their_aggregation()
    {
        var audiences = await RunAsync("audiences", "list");
        var traits = await RunAsync("computed-traits", "list");

        Assert.True(audiences.ExitCode == 0, audiences.Error);
        var big = audiences.Output.Split('\n').Single(l => l.Contains("big_spenders", StringComparison.Ordinal));
        Assert.Matches(@"big_spenders\s+Big spenders\s+1\s", big);
        Assert.Matches(@"repeat_buyers\s+Repeat buyers\s+1\s", audiences.Output);
        Assert.True(traits.ExitCode == 0, traits.Error);
        Assert.Matches("lifetime_spend\\s+Lifetime spend\\s+sum\\s+properties.total\\s+track \"Order Completed\"\\s+all time", traits.Output);
    }

    [Fact]
    public async Task Preview_counts_a_definition_from_a_file_without_saving_it()
    {
        using var file = new TempFile("spenders.json", """{"condition":{"computed":"lifetime_spend","op":"greaterThan","value":40}}""");

        var (exitCode, output, error) = await RunAsync("audiences", "preview", "--definition", file.Path);

        Assert.True(exitCode == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("2 of 2 profiles meet \"preview\".", lines[0]);
        Assert.Equal(new[] { await _api.ProfileIdAsync("user_id:alice"), await _api.ProfileIdAsync("user_id:bob") }.Order(StringComparer.Ordinal), lines[1..]);
        Assert.Equal(2, (await _api.GetAsync("/api/audiences")).GetArrayLength());
    }

    [Fact]
    public async Task Preview_counts_a_condition_written_as_text_the_same_as_its_json_definition()
    {
        using var file = new TempFile("pro.json", """{"condition":{"or":[{"trait":"plan","op":"startsWith","value":"PRO"},{"and":[{"performed":"Order Completed","atLeast":2,"where":[{"property":"properties.total","op":"lessThan","value":100}]},{"memberOf":"repeat_buyers"}]}]}}""");

        var json = await RunAsync("audiences", "preview", "--definition", file.Path);
        var text = await RunAsync("audiences", "preview", "--where",
            "plan starts with \"PRO\" or performed \"Order Completed\" where (properties.total < 100) >= 2 and member of repeat_buyers");
        var bigOnly = await RunAsync("audiences", "preview", "--where", "computed lifetime_spend > 40 and not member of repeat_buyers", "--sample", "5");

        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Equal(json.Output, text.Output);
        Assert.StartsWith("2 of 2 profiles meet \"preview\".", text.Output, StringComparison.Ordinal);
        Assert.True(bigOnly.ExitCode == 0, bigOnly.Error);
        Assert.Equal(["1 of 2 profiles meet \"preview\".", await _api.ProfileIdAsync("user_id:alice")], bigOnly.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Preview_exits_2_with_the_column_of_a_text_problem_or_when_not_given_exactly_one_definition()
    {
        using var file = new TempFile("any.json", """{"condition":{"has":"email"}}""");

        var both = await RunAsync("audiences", "preview", "--definition", file.Path, "--where", "has email");
        var grammar = await RunAsync("audiences", "preview", "--where", "plan equalz \"pro\"");
        var value = await RunAsync("audiences", "preview", "--where", "has email and age between 9 and 1");
        var workspace = await RunAsync("audiences", "preview", "--where", "has email and member of ghosts");

        Assert.Equal((2, 2, 2, 2), (both.ExitCode, grammar.ExitCode, value.ExitCode, workspace.ExitCode));
        Assert.Contains("exactly one of --definition FILE (JSON) and --where TEXT", both.Error, StringComparison.Ordinal);
        Assert.StartsWith("error: The condition was refused:", grammar.Error, StringComparison.Ordinal);
        Assert.Contains("column 6: unknown operator 'equalz' after the trait 'plan'", grammar.Error, StringComparison.Ordinal);
        Assert.Contains("column 27: between needs low ≤ high", value.Error, StringComparison.Ordinal);
        Assert.Contains("column 25: unknown audience 'ghosts'", workspace.Error, StringComparison.Ordinal);
        Assert.Empty(grammar.Output + value.Output + workspace.Output);
    }

    [Fact]
    public async Task Members_and_export_list_an_audience_as_lines_and_CSV()
    {
        var alice = await _api.ProfileIdAsync("user_id:alice");
        var folder = Directory.CreateTempSubdirectory("samlet-export-").FullName;
        try
        {
            var members = await RunAsync("audiences", "members", "big_spenders");
            var toFile = await RunAsync("audiences", "export", "big_spenders", "--traits", "email,plan,lifetime_spend", "--output", Path.Combine(folder, "big.csv"));
            var toOutput = await RunAsync("audiences", "export", "repeat_buyers");

            Assert.True(members.ExitCode == 0, members.Error);
            Assert.Matches($"^{alice}\\t\\d{{4}}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\r?\\n$", members.Output);
            Assert.Contains("1 of 1 members of \"big_spenders\"", members.Error, StringComparison.Ordinal);
            Assert.True(toFile.ExitCode == 0, toFile.Error);
            var csv = (await File.ReadAllTextAsync(Path.Combine(folder, "big.csv"))).Split("\r\n");
            Assert.Equal("profile_id,entered_at,email,plan,lifetime_spend", csv[0]);
            Assert.Matches($"^{alice},[^,]+,alice@example.com,\"pro, yearly\",150$", csv[1]);
            Assert.Equal(0, toOutput.ExitCode);
            Assert.StartsWith("profile_id,entered_at\r\n" + await _api.ProfileIdAsync("user_id:bob") + ",", toOutput.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Audience_commands_exit_2_for_bad_usage_and_invalid_definitions_and_1_for_unknown_audiences()
    {
        using var invalid = new TempFile("bad.json", """{"condition":{"and":[{"memberOf":"ghosts"},{"trait":"plan","op":"greater","value":1}]}}""");

        var noDefinition = await RunAsync("audiences", "preview");
        var refused = await RunAsync("audiences", "preview", "--definition", invalid.Path);
        var missingFile = await RunAsync("audiences", "preview", "--definition", Path.Combine(_server.DataDirectory, "none.json"));
        var badLimit = await RunAsync("audiences", "members", "big_spenders", "--limit", "0");
        var badTraits = await RunAsync("audiences", "export", "big_spenders", "--traits", "email,,plan");
        var unknown = await RunAsync("audiences", "members", "nobody");

        Assert.Equal((2, 2, 2, 2, 2, 1), (noDefinition.ExitCode, refused.ExitCode, missingFile.ExitCode, badLimit.ExitCode, badTraits.ExitCode, unknown.ExitCode));
        Assert.Contains("--definition", noDefinition.Error, StringComparison.Ordinal);
        Assert.Contains("/condition/and/1/op: unknown operator 'greater'", refused.Error, StringComparison.Ordinal);
        Assert.StartsWith("error: The definition was refused:", refused.Error, StringComparison.Ordinal);
        Assert.Contains("Cannot read the definition", missingFile.Error, StringComparison.Ordinal);
        Assert.Contains("--limit must be from 1", badLimit.Error, StringComparison.Ordinal);
        Assert.Contains("\"\" is not a trait name", badTraits.Error, StringComparison.Ordinal);
        Assert.Contains("There is no audience \"nobody\"", unknown.Error, StringComparison.Ordinal);
    }
}
