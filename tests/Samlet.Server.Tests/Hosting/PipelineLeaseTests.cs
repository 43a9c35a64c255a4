using System.Text.Json;
using Samlet.Server.Tests.Audiences;
using Samlet.Tests.Shared;

namespace Samlet.Server.Tests.Hosting;

/// <summary>Two instances on one PostgreSQL share the pipeline partitions; when one stops, the other takes them all.</summary>
public sealed class PipelineLeaseTests : IAsyncLifetime
{
    private string _connection = null!;

    public async Task InitializeAsync() => _connection = await PostgresTestServer.CreateDatabaseAsync();

    public Task DisposeAsync() => PostgresTestServer.DropDatabaseAsync(_connection);

    private SamletServer Instance() => new(new Dictionary<string, string?> { ["Store:Kind"] = "postgres", ["Store:Connection"] = _connection });

    private static async Task<string> PartitionsAsync(SamletServer server) =>
        string.Join(",", JsonDocument.Parse(await server.Client.GetStringAsync("/readyz")).RootElement
            .GetProperty("pipeline").GetProperty("partitions").EnumerateArray().Select(p => p.GetInt32()));

    [Fact]
    public async Task Instances_share_the_partitions_and_the_one_left_takes_them_all()
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
            await Eventually.UntilAsync(() => PartitionsAsync(first), held => held == "0,1,2,3,4,5,6,7", "the first instance to take every partition");
            await using var second = Instance();
            await second.InitializeAsync();

            // Ranked by joining order: the first keeps the even partitions, the second gets the odd ones as the first lets go.
            await Eventually.UntilAsync(() => PartitionsAsync(second), held => held == "1,3,5,7", "the second instance to get its share");
            Assert.Equal("0,2,4,6", await PartitionsAsync(first));

            // The only workspace is in partition 0: events the second accepts are processed by the first.
            await second.PostAsync("/v1/identify", """{"type":"identify","userId":"u1","traits":{"plan":"pro"},"messageId":"m1"}""");
            await Eventually.UntilAsync(() => CountAsync(second), count => count == 1, "u1's profile");

            await first.DisposeAsync();
            firstStopped = true;
            await Eventually.UntilAsync(() => PartitionsAsync(second), held => held == "0,1,2,3,4,5,6,7", "the second instance to take every partition over");
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
