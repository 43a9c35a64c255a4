using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Samlet.Server.Tests.Admin;

public sealed class AdminApiTests : IAsyncLifetime
{
    private readonly SamletServer _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer sk_wrong")]
    [InlineData("Bearer " + SamletServer.WriteKey)]
    public async Task Refuses_the_APIs_without_a_valid_API_key_with_ProblemDetails(string? authorization)
    {
        foreach (var path in new[] { "/api/sources", "/api/events", "/api/events/rejected", "/api/events/stream" })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            var response = await _server.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(401, (await JsonAsync(response)).GetProperty("status").GetInt32());
        }
    }

    [Fact]
    public async Task Accepts_the_API_key_as_X_Api_Key()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/sources");
        request.Headers.Add("X-Api-Key", SamletServer.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Creates_lists_disables_and_rotates_sources()
    {
        var created = await _server.Admin.PostAsJsonAsync("/api/sources", new { name = "iOS app" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await JsonAsync(created);
        var id = body.GetProperty("source").GetProperty("id").GetString()!;
        var writeKey = body.GetProperty("writeKey").GetString()!;
        Assert.Equal($"/api/sources/{id}", created.Headers.Location?.ToString());

        var list = await JsonAsync(await _server.Admin.GetAsync("/api/sources"));
        Assert.Equal(["Default source", "iOS app"], list.EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await _server.PostAsync("/v1/track", """{"userId":"u","event":"Opened"}""", writeKey)).StatusCode);

        var rotated = await JsonAsync(await _server.Admin.PostAsync($"/api/sources/{id}/rotate-key", null));
        var newKey = rotated.GetProperty("writeKey").GetString()!;
        Assert.NotEqual(writeKey, newKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.PostAsync("/v1/track", """{"userId":"u","event":"Opened"}""", writeKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.PostAsync("/v1/track", """{"userId":"u","event":"Opened"}""", newKey)).StatusCode);

        var disabled = await JsonAsync(await _server.Admin.PostAsync($"/api/sources/{id}/disable", null));
        Assert.False(disabled.GetProperty("enabled").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await _server.PostAsync("/v1/track", """{"userId":"u","event":"Opened"}""", newKey)).StatusCode);
        Assert.True((await JsonAsync(await _server.Admin.PostAsync($"/api/sources/{id}/enable", null))).GetProperty("enabled").GetBoolean());
        Assert.Equal(2, (await _server.EventsAsync($"&source={id}")).Count);
    }

    [Fact]
    public async Task Answers_ProblemDetails_for_bad_source_requests()
    {
        var missingName = await _server.Admin.PostAsJsonAsync("/api/sources", new { name = "" });
        Assert.Equal(HttpStatusCode.BadRequest, missingName.StatusCode);
        Assert.Contains("name", (await JsonAsync(missingName)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        var notJson = await _server.Admin.PostAsync("/api/sources", new StringContent("{name:", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal("application/problem+json", notJson.Content.Headers.ContentType?.MediaType);

        var unknown = await _server.Admin.PostAsync("/api/sources/src_nope/disable", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("src_nope", (await JsonAsync(unknown)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_and_pages_events_through_the_read_API()
    {
        var batch = string.Join(',', Enumerable.Range(0, 7).Select(i =>
            $$"""{"type":"track","event":"{{(i % 2 == 0 ? "Even" : "Odd")}}","userId":"u{{i % 3}}","messageId":"m{{i}}","timestamp":"2026-01-0{{i + 1}}T00:00:00Z"}"""));
        await _server.PostAsync("/v1/batch", $$"""{"batch":[{{batch}},{"type":"page","anonymousId":"a9","name":"Home","messageId":"p1"}]}""");

        Assert.Equal(["m6", "m4", "m2", "m0"], (await _server.EventsAsync("&event=Even")).Select(e => e.GetProperty("messageId").GetString()));
        Assert.Equal(["m4", "m1"], (await _server.EventsAsync("&userId=u1")).Select(e => e.GetProperty("messageId").GetString()));
        Assert.Equal(["p1"], (await _server.EventsAsync("&type=page&anonymousId=a9")).Select(e => e.GetProperty("messageId").GetString()));
        Assert.Equal(["m3", "m2"], (await _server.EventsAsync("&from=2026-01-03T00:00:00Z&to=2026-01-05T00:00:00Z")).Select(e => e.GetProperty("messageId").GetString()));

        var seen = new List<string?>();
        string? next = null;
        do
        {
            var page = await JsonAsync(await _server.Admin.GetAsync("/api/events?limit=3" + (next is null ? "" : "&before=" + next)));
            seen.AddRange(page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("messageId").GetString()));
            next = page.GetProperty("next").GetString();
        }
        while (next is not null);
        Assert.Equal(["p1", "m6", "m5", "m4", "m3", "m2", "m1", "m0"], seen);
    }

    [Theory]
    [InlineData("type=purchase")]
    [InlineData("from=yesterday")]
    [InlineData("limit=0")]
    [InlineData("limit=100000")]
    [InlineData("before=abc")]
    public async Task Answers_ProblemDetails_for_bad_event_filters(string query)
    {
        var response = await _server.Admin.GetAsync("/api/events?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Streams_new_events_as_server_sent_events()
    {
        await _server.PostAsync("/v1/track", """{"userId":"u","event":"Before","messageId":"old"}""");
        using var response = await _server.Admin.GetAsync("/api/events/stream?event=Live", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal(": connected", await reader.ReadLineAsync());

        await _server.PostAsync("/v1/batch", """{"batch":[{"type":"track","userId":"u","event":"Other","messageId":"x"},{"type":"track","userId":"u","event":"Live","messageId":"live-1"}]}""");
        string? line;
        while ((line = await reader.ReadLineAsync()) is not null && !line.StartsWith("data: ", StringComparison.Ordinal))
        {
        }

        var data = JsonDocument.Parse(line!["data: ".Length..]).RootElement;
        Assert.Equal("live-1", data.GetProperty("messageId").GetString());
    }

    [Fact]
    public async Task Reports_live_and_ready()
    {
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.GetAsync("/healthz")).StatusCode);
        Assert.Equal("ready", (await JsonAsync(await _server.Client.GetAsync("/readyz"))).GetProperty("status").GetString());
    }
}
