using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Samlet.Tests.Shared;

namespace Samlet.Server.Tests.Tracking;

/// <summary>The server on PostgreSQL, chosen through configuration (<c>SAMLET__Store__Kind</c>, <c>SAMLET__Store__Connection</c>).</summary>
public sealed class PostgresTrackingTests
{
    private const string Track = """{"batch":[{"type":"track","event":"Viewed","userId":"u1","messageId":"{0}"}]}""";

    private static Dictionary<string, string?> Configuration(string connection) => new() { ["Store:Kind"] = "postgres", ["Store:Connection"] = connection };

    [Fact]
    public async Task Stores_tracked_events_in_PostgreSQL_when_configured_to()
    {
        var connection = await PostgresTestServer.CreateDatabaseAsync();
        try
        {
            var server = new SamletServer(Configuration(connection));
            await server.InitializeAsync();
            try
            {
                using var response = await server.PostAsync("/v1/batch", Track.Replace("{0}", "m1", StringComparison.Ordinal));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("m1", Assert.Single(await server.EventsAsync()).GetProperty("messageId").GetString());
                Assert.False(Directory.Exists(server.DataDirectory));
            }
            finally
            {
                await server.DisposeAsync();
            }
        }
        finally
        {
            await PostgresTestServer.DropDatabaseAsync(connection);
        }
    }

    [Fact]
    public async Task Answers_503_while_PostgreSQL_is_down_and_200_again_once_it_is_back()
    {
        using var cluster = await PostgresCluster.StartAsync();
        var server = new SamletServer(Configuration(cluster.ConnectionString));
        await server.InitializeAsync();
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await server.PostAsync("/v1/batch", Track.Replace("{0}", "before", StringComparison.Ordinal))).StatusCode);

            // A key this instance has not looked up yet must also get 503 (not 500) while the database is away.
            var created = await server.Admin.PostAsJsonAsync("/api/sources", new { name = "app" });
            var uncachedKey = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("writeKey").GetString();

            await cluster.StopAsync();
            using var down = await server.PostAsync("/v1/batch", Track.Replace("{0}", "down", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.NotNull(down.Headers.RetryAfter);
            using var downUncached = await server.PostAsync("/v1/batch", Track.Replace("{0}", "down", StringComparison.Ordinal), uncachedKey);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, downUncached.StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await server.Client.GetAsync("/readyz")).StatusCode);

            await cluster.StartAgainAsync();
            Assert.Equal(HttpStatusCode.OK, (await server.PostAsync("/v1/batch", Track.Replace("{0}", "down", StringComparison.Ordinal))).StatusCode);
            Assert.Equal(["down", "before"], (await server.EventsAsync()).Select(e => e.GetProperty("messageId").GetString()));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
