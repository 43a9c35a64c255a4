using System.Text.Json;
using Samlet.Server.Tests.Audiences;
using Samlet.Tests.Shared;

namespace Samlet.Server.Tests.Hosting;

/// <summary>Two instances on one PostgreSQL: one runs the pipeline, the other stands by and takes over when it stops.</summary>
public sealed class PipelineLeaseTests : IAsyncLifetime
{
    private string _connection = null!;

    public async Task InitializeAsync() => _connection = await PostgresTestServer.CreateDatabaseAsync();

    public Task DisposeAsync() => PostgresTestServer.DropDatabaseAsync(_connection);

    private SamletServer Instance() => new(new Dictionary<string, string?> { ["Store:Kind"] = "postgres", ["Store:Connection"] = _connection });

    private static async Task<bool> IsLeaderAsync(SamletServer server) =>
        JsonDocument.Parse(await server.Client.GetStringAsync("/readyz")).RootElement.GetProperty("pipeline").GetProperty("leader").GetBoolean();

    [Fact]
    public async Task One_instance_runs_the_pipeline_and_the_other_takes_over_when_it_stops()
    {
        var first = Instance();
        var firstStopped = false;
        try
        {
            await RunAsync();
        }
        finally
        {
            if (!firstStopped)
            {
                await first.DisposeAsync();
            }
        }

        async Task RunAsync()
        {
            await first.InitializeAsync();
            await Eventually.UntilAsync(() => IsLeaderAsync(first), leader => leader, "the first instance to take the lease");
            await using var second = Instance();
            await second.InitializeAsync();

            // The second only stands by; events it accepts are processed by the first.
            Assert.False(await IsLeaderAsync(second));
            await second.PostAsync("/v1/identify", """{"type":"identify","userId":"u1","traits":{"plan":"pro"},"messageId":"m1"}""");
            await Eventually.UntilAsync(() => CountAsync(second), count => count == 1, "u1's profile");
            Assert.False(await IsLeaderAsync(second));

            await first.DisposeAsync();
            firstStopped = true;
            await Eventually.UntilAsync(() => IsLeaderAsync(second), leader => leader, "the second instance to take the lease over");
            await second.PostAsync("/v1/identify", """{"type":"identify","userId":"u2","traits":{"plan":"free"},"messageId":"m2"}""");
            await Eventually.UntilAsync(() => CountAsync(second), count => count == 2, "u2's profile");
        }
    }

    private static async Task<long> CountAsync(SamletServer server)
    {
        var workspace = (await server.Store.Sources.ListWorkspacesAsync(CancellationToken.None))[0].Id;
        return await server.Store.Profiles.CountProfilesAsync(workspace, CancellationToken.None);
    }
}
