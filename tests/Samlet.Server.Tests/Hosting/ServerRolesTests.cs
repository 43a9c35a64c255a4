using System.Net;
using System.Text.Json;
using Samlet.Server.Tests.Cli;

namespace Samlet.Server.Tests.Hosting;

/// <summary>An instance serves only its roles (<c>--roles</c>, <c>SAMLET__Roles</c>); health endpoints always.</summary>
public sealed class ServerRolesTests
{
    private const string Identify = """{"type":"identify","userId":"u1","traits":{"plan":"pro"},"messageId":"m1"}""";

    private static async Task<JsonElement> ReadyAsync(SamletServer server) =>
        JsonDocument.Parse(await server.Client.GetStringAsync("/readyz")).RootElement.Clone();

    [Fact]
    public async Task An_ingest_instance_accepts_events_but_serves_no_api_and_runs_no_pipeline()
    {
        await using var server = new SamletServer(new Dictionary<string, string?> { ["Roles"] = "ingest" });
        await server.InitializeAsync();

        Assert.Equal(HttpStatusCode.OK, (await server.PostAsync("/v1/identify", Identify)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetAsync("/api/sources")).StatusCode);
        var ready = await ReadyAsync(server);
        Assert.Equal("ingest", ready.GetProperty("roles").GetString());
        Assert.False(ready.GetProperty("pipeline").GetProperty("enabled").GetBoolean());
        Assert.Equal(1, ready.GetProperty("pipeline").GetProperty("eventsBehind").GetInt64());
        Assert.Equal(0, await server.Store.Profiles.CountProfilesAsync((await server.Store.Sources.ListWorkspacesAsync(CancellationToken.None))[0].Id, CancellationToken.None));
    }

    [Fact]
    public async Task A_ui_and_pipeline_instance_serves_the_apis_but_not_the_tracking_api()
    {
        await using var server = new SamletServer(new Dictionary<string, string?> { ["Roles"] = "ui, pipeline" });
        await server.InitializeAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await server.PostAsync("/v1/identify", Identify)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Admin.GetAsync("/api/sources")).StatusCode);
        var ready = await ReadyAsync(server);
        Assert.Equal("pipeline,ui", ready.GetProperty("roles").GetString());
        Assert.True(ready.GetProperty("pipeline").GetProperty("enabled").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/healthz")).StatusCode);
    }

    [Theory]
    [InlineData("ingest,cooking", "Unknown role \"cooking\"")]
    [InlineData(",", "No role given")]
    public async Task Serve_refuses_unknown_roles_before_starting(string roles, string message)
    {
        var (exitCode, _, error) = await SamletCli.RunAsync("serve", "--roles", roles, "--data", Path.Combine(Path.GetTempPath(), "samlet-roles-" + Guid.NewGuid().ToString("N")));

        Assert.Equal(1, exitCode); // an invalid option, as with --store
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
