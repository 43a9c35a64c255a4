using System.Text.Json;
using Samlet.Server.Tests.Cli;

namespace Samlet.Server.Tests.Analytics;

/// <summary><c>samlet analytics run</c> on a store no server runs on, and its refusal while one does.</summary>
public sealed class AnalyticsRunCliTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "samlet-analytics-run-" + Guid.NewGuid().ToString("N"));

    public AnalyticsRunCliTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Runs_the_job_on_an_imported_store_and_leaves_predictions_on_the_profiles()
    {
        var file = Path.Combine(_directory, "shop.jsonl");
        await File.WriteAllLinesAsync(file, AnalyticsShop.Events(60));
        var data = Path.Combine(_directory, "data");
        Assert.Equal(0, (await SamletCli.RunAsync("import", file, "--data", data)).ExitCode);

        var (exitCode, output, error) = await SamletCli.RunAsync("analytics", "run", "--data", data);

        Assert.True(exitCode == 0, error);
        Assert.Contains("succeeded", output, StringComparison.Ordinal);
        Assert.Contains("60 customers", output, StringComparison.Ordinal);
        Assert.Contains("60 profiles get new predictions", output, StringComparison.Ordinal);
        var profile = await SamletCli.RunAsync("profiles", "get", "user_id:c7", "--json", "--data", data);
        using var json = JsonDocument.Parse(profile.Output);
        var traits = json.RootElement.GetProperty("traits");
        Assert.True(traits.TryGetProperty("p_alive", out _), traits.ToString());
        Assert.True(traits.TryGetProperty("rfm_segment", out _), traits.ToString());

        var again = await SamletCli.RunAsync("analytics", "run", "--data", data, "--json");
        Assert.True(again.ExitCode == 0, again.Error);
        using var run = JsonDocument.Parse(again.Output);
        Assert.Equal("succeeded", run.RootElement.GetProperty("status").GetString());
        Assert.Equal(2, run.RootElement.GetProperty("id").GetInt64());
        Assert.Equal(60, run.RootElement.GetProperty("report").GetProperty("data").GetProperty("customers").GetInt32());
    }

    [Fact]
    public async Task Refuses_while_a_server_runs_the_stores_analytics()
    {
        var server = new SamletServer();
        await server.InitializeAsync();
        try
        {
            await Audiences.Eventually.UntilAsync(
                async () => JsonDocument.Parse(await server.Client.GetStringAsync("/readyz")).RootElement.GetProperty("analytics").GetProperty("leader").GetBoolean(),
                leader => leader, "the server to take the analytics lease");

            var (exitCode, _, error) = await SamletCli.RunAsync(["analytics", "run", .. server.StoreArguments]);

            Assert.Equal(1, exitCode);
            Assert.Contains("POST /api/analytics/runs", error, StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
