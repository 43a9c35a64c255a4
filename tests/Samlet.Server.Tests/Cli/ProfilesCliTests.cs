using System.Diagnostics;
using System.Text.Json;

namespace Samlet.Server.Tests.Cli;

/// <summary>
/// <c>samlet rebuild</c>, <c>samlet profiles get</c> and <c>samlet profiles search</c> on a store filled by
/// <c>samlet import</c> (which stores events without running the pipeline), run in-process as the real command tree.
/// </summary>
public sealed class ProfilesCliTests : IAsyncLifetime
{
    private static readonly string[] _events =
    [
        """{"type":"page","anonymousId":"anon-jane","name":"Home","messageId":"j1","timestamp":"2026-03-01T09:00:00Z"}""",
        """{"type":"identify","userId":"jane","messageId":"j2","timestamp":"2026-03-01T09:10:00Z","traits":{"email":"Jane@Example.com","name":"Jane Doe","plan":"free"}}""",
        """{"type":"identify","userId":"jane","anonymousId":"anon-jane","messageId":"j3","timestamp":"2026-03-01T09:20:00Z","traits":{"plan":"pro"}}""",
        """{"type":"track","userId":"jane","event":"Order Completed","messageId":"j4","timestamp":"2026-03-01T09:30:00Z","properties":{"total":42}}""",
        """{"type":"group","userId":"jane","groupId":"acme","messageId":"j5","timestamp":"2026-03-01T09:50:00Z","traits":{"name":"Acme Inc"}}""",
        """{"type":"identify","userId":"bob","messageId":"b1","timestamp":"2026-03-01T10:00:00Z","traits":{"email":"bob@example.com","name":"Bob Builder","city":"Aarhus"}}""",
    ];

    private readonly string _directory = Directory.CreateTempSubdirectory("samlet-profiles-cli-").FullName;

    private string Data => Path.Combine(_directory, "data");

    public async Task InitializeAsync()
    {
        var file = Path.Combine(_directory, "events.jsonl");
        await File.WriteAllLinesAsync(file, _events);
        var (exitCode, _, error) = await SamletCli.RunAsync("import", file, "--data", Data);
        Assert.True(exitCode == 0, error);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    private Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) => SamletCli.RunAsync([.. args, "--data", Data]);

    private async Task RebuildAsync()
    {
        var (exitCode, output, error) = await RunAsync("rebuild");
        Assert.True(exitCode == 0, error);
        Assert.Contains("Rebuilt 2 profiles from 6 events", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rebuild_derives_the_profiles_of_an_imported_log()
    {
        var before = await RunAsync("profiles", "get", "user_id:jane");
        Assert.Equal(1, before.ExitCode);
        Assert.Contains("No profile in this workspace holds user_id:jane", before.Error, StringComparison.Ordinal);
        Assert.Contains("not yet applied 6 events", before.Error, StringComparison.Ordinal);

        var (exitCode, output, error) = await RunAsync("rebuild");

        Assert.True(exitCode == 0, error);
        Assert.Matches(@"^Rebuilt 2 profiles from 6 events in \d+\.\d s \([\d,]+ events/s\)\.", output);
        Assert.Equal(0, (await RunAsync("profiles", "get", "user_id:jane")).ExitCode);
        await RebuildAsync(); // again: the same profiles, nothing twice
        Assert.Equal(5, JsonDocument.Parse((await RunAsync("profiles", "get", "user_id:jane", "--json")).Output).RootElement.GetProperty("counts").GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("BatchSize", "0", "BatchSize")]
    [InlineData("EventsPerCommit", "many", "many")]
    public async Task Rebuild_takes_the_servers_pipeline_settings_and_refuses_a_bad_one_before_touching_the_store(string setting, string value, string named)
    {
        var start = SamletCli.Process("rebuild", "--data", Data);
        start.Environment[$"SAMLET__Pipeline__{setting}"] = value;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("SAMLET__Pipeline__", await error, StringComparison.Ordinal);
        Assert.Contains(named, await error, StringComparison.Ordinal);
        Assert.Equal(1, (await RunAsync("profiles", "get", "user_id:jane")).ExitCode); // nothing rebuilt

        start.Environment[$"SAMLET__Pipeline__{setting}"] = "1";
        using var valid = Process.Start(start)!;
        var output = valid.StandardOutput.ReadToEndAsync();
        await valid.WaitForExitAsync();
        Assert.Equal(0, valid.ExitCode);
        Assert.Contains("Rebuilt 2 profiles from 6 events", await output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_shows_identities_traits_with_lineage_counts_accounts_events_and_history()
    {
        await RebuildAsync();

        var (exitCode, output, error) = await RunAsync("profiles", "get", "email:JANE@example.com");

        Assert.True(exitCode == 0, error);
        foreach (var expected in new[]
        {
            "Jane Doe", "<Jane@Example.com>", "Created 2026-03-01 09:00:00Z",
            "anonymous_id:anon-jane", "email:jane@example.com", "user_id:jane",
            "\"pro\"", "j3", "track \"Order Completed\"", "group_id:acme", "name=\"Acme Inc\"",
            "Identity history", "merge: Event j3 (identify at 2026-03-01T09:20:00Z) linked 2 profiles",
        })
        {
            Assert.Contains(expected, output, StringComparison.Ordinal);
        }

        var plan = output.Split('\n').Single(line => line.TrimStart().StartsWith("plan ", StringComparison.Ordinal));
        Assert.Contains("2026-03-01 09:20:00Z", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_prints_the_Profile_API_JSON_with_json()
    {
        await RebuildAsync();

        var (exitCode, output, error) = await RunAsync("profiles", "get", "anonymous_id:anon-jane", "--json", "--events", "2");

        Assert.True(exitCode == 0, error);
        var profile = JsonDocument.Parse(output).RootElement;
        Assert.StartsWith("prf_", profile.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("pro", profile.GetProperty("traits").GetProperty("plan").GetProperty("value").GetString());
        Assert.Equal("j3", profile.GetProperty("traits").GetProperty("plan").GetProperty("messageId").GetString());
        Assert.Equal(["j5", "j4"], profile.GetProperty("recentEvents").EnumerateArray().Select(e => e.GetProperty("messageId").GetString()));
        Assert.EndsWith("/events?before=4", profile.GetProperty("moreEvents").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_lists_matching_profiles_and_exits_1_when_none_match()
    {
        await RebuildAsync();

        var table = await RunAsync("profiles", "search", "jan");
        var byTrait = await RunAsync("profiles", "search", "Aarhus", "--json");
        var none = await RunAsync("profiles", "search", "nobody-at-all");

        Assert.Equal(0, table.ExitCode);
        Assert.Contains("Jane Doe", table.Output, StringComparison.Ordinal);
        Assert.Contains("user_id:jane", table.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Bob", table.Output, StringComparison.Ordinal);
        Assert.Equal(0, byTrait.ExitCode);
        var found = Assert.Single(JsonDocument.Parse(byTrait.Output).RootElement.GetProperty("profiles").EnumerateArray());
        Assert.Equal("Bob Builder", found.GetProperty("name").GetString());
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("No profile matches \"nobody-at-all\"", none.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nocolon", "is neither a profile id")]
    [InlineData("Email:jane@example.com", "is neither a profile id")]
    [InlineData("email:not-an-email", "is not a valid email value")]
    public async Task Get_exits_2_for_malformed_identifiers(string reference, string message)
    {
        await RebuildAsync();

        var (exitCode, output, error) = await RunAsync("profiles", "get", reference);

        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_commands_exit_2_for_bad_usage_and_1_for_a_missing_store()
    {
        var noArgument = await SamletCli.RunAsync("profiles", "get");
        var badWorkspace = await RunAsync("profiles", "get", "user_id:jane", "--workspace", "ws_nope");
        var noConnection = await SamletCli.RunAsync("profiles", "search", "jane", "--store", "postgres");
        var noStore = await SamletCli.RunAsync("profiles", "get", "user_id:jane", "--data", Path.Combine(_directory, "nothing-here"));

        Assert.Equal((2, 2, 2, 1), (noArgument.ExitCode, badWorkspace.ExitCode, noConnection.ExitCode, noStore.ExitCode));
        Assert.Contains("There is no workspace \"ws_nope\"", badWorkspace.Error, StringComparison.Ordinal);
        Assert.Contains("needs a connection string", noConnection.Error, StringComparison.Ordinal);
        Assert.Contains("There is no Samlet store in", noStore.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_directory, "nothing-here")));
    }

    [Fact]
    public async Task Rebuild_refuses_politely_when_the_store_is_missing_or_unreachable()
    {
        var unreachable = await SamletCli.RunAsync("rebuild", "--store", "postgres", "--connection", "Host=127.0.0.1;Port=1;Username=x;Timeout=2");
        var missing = await SamletCli.RunAsync("rebuild", "--data", Path.Combine(_directory, "nothing-here"));

        Assert.Equal(1, unreachable.ExitCode);
        Assert.Matches("^error: The PostgreSQL database x on 127.0.0.1:1 (does not answer|cannot be reached .*); nothing was read or changed.", unreachable.Error);
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("error: There is no Samlet store in", missing.Error, StringComparison.Ordinal);
    }
}
