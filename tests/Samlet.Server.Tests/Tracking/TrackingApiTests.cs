using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Samlet.Server.Tests.Tracking;

public sealed class TrackingApiTests : IAsyncLifetime
{
    private readonly SamletServer _server = new(new() { ["Ingestion:MaxBodyBytes"] = "65536", ["Ingestion:TrustedProxies:0"] = "127.0.0.1" });

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    private static string Track(string messageId, string user = "u1") =>
        $$"""{"type":"track","event":"Product Viewed","userId":"{{user}}","messageId":"{{messageId}}","properties":{"price":9.5} }""";

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task Stores_a_batch_before_answering_200()
    {
        var response = await _server.PostAsync("/v1/batch", $$"""{"batch":[{{Track("m1")}},{{Track("m2", "u2")}}],"sentAt":"2026-11-25T10:00:00Z"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await JsonAsync(response)).GetProperty("success").GetBoolean());
        var events = await _server.EventsAsync();
        Assert.Equal(["m2", "m1"], events.Select(e => e.GetProperty("messageId").GetString()));
        Assert.Equal("Product Viewed", events[0].GetProperty("payload").GetProperty("event").GetString());
        Assert.Equal("127.0.0.1", events[0].GetProperty("payload").GetProperty("context").GetProperty("ip").GetString());
    }

    [Theory]
    [InlineData("/v1/identify", """{"userId":"u1","traits":{"email":"a@example.com"}}""", "identify")]
    [InlineData("/v1/i", """{"userId":"u1","traits":{}}""", "identify")]
    [InlineData("/v1/track", """{"userId":"u1","event":"Signed Up"}""", "track")]
    [InlineData("/v1/t", """{"type":"page","userId":"u1","event":"Signed Up"}""", "track")]
    [InlineData("/v1/page", """{"anonymousId":"a1","name":"Home"}""", "page")]
    [InlineData("/v1/p", """{"anonymousId":"a1"}""", "page")]
    [InlineData("/v1/screen", """{"anonymousId":"a1","name":"Cart"}""", "screen")]
    [InlineData("/v1/s", """{"anonymousId":"a1"}""", "screen")]
    [InlineData("/v1/group", """{"userId":"u1","groupId":"g1","traits":{"name":"Acme"}}""", "group")]
    [InlineData("/v1/g", """{"userId":"u1","groupId":"g1"}""", "group")]
    [InlineData("/v1/alias", """{"userId":"u1","previousId":"a1"}""", "alias")]
    [InlineData("/v1/a", """{"userId":"u1","previousId":"a1"}""", "alias")]
    public async Task Accepts_single_events_on_their_own_paths_with_the_type_from_the_path(string path, string body, string type)
    {
        Assert.Equal(HttpStatusCode.OK, (await _server.PostAsync(path, body)).StatusCode);
        Assert.Equal(type, Assert.Single(await _server.EventsAsync()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Answers_Jitsu_with_ok_json_on_its_paths_and_accepts_an_id_colon_secret_key()
    {
        foreach (var path in new[] { "/api/s/track", "/api/s/s2s/t" })
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("""{"anonymousId":"a1","event":"Clicked","writeKey":"samlet:***"}""") };
            request.Headers.Add("X-Write-Key", "samlet:" + SamletServer.WriteKey);
            var response = await _server.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True((await JsonAsync(response)).GetProperty("ok").GetBoolean());
        }

        Assert.Equal(2, (await _server.EventsAsync("&type=track")).Count);
    }

    [Fact]
    public async Task Takes_the_write_key_from_the_body_the_query_or_X_Write_Key()
    {
        Assert.Equal(HttpStatusCode.OK, (await _server.PostAsync("/v1/b", $$"""{"writeKey":"{{SamletServer.WriteKey}}","batch":[{{Track("b1")}}]}""", writeKey: null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.PostAsync($"/beacon/v1/batch?writeKey={SamletServer.WriteKey}", $$"""{"batch":[{{Track("b2")}}]}""", writeKey: null)).StatusCode);
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/track") { Content = new StringContent(Track("b3")) };
        request.Headers.Add("X-Write-Key", SamletServer.WriteKey);
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.SendAsync(request)).StatusCode);
        Assert.Equal(3, (await _server.EventsAsync()).Count);
    }

    [Fact]
    public async Task Reads_gzip_bodies_whatever_the_content_type_says()
    {
        var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes($$"""{"batch":[{{Track("g1")}}]}"""));
        }

        // rudder-sdk-node labels its gzip JSON as a form.
        var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        content.Headers.ContentEncoding.Add("gzip");
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/batch") { Content = content };
        request.Headers.Authorization = SamletServer.Basic(SamletServer.WriteKey);
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.SendAsync(request)).StatusCode);
        Assert.Equal("g1", Assert.Single(await _server.EventsAsync()).GetProperty("messageId").GetString());
    }

    [Fact]
    public async Task Stores_a_retried_messageId_once()
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var sentAt = $"2026-11-25T10:00:0{attempt}Z";
            Assert.Equal(HttpStatusCode.OK, (await _server.PostAsync("/v1/batch", $$"""{"batch":[{{Track("retry-1")}}],"sentAt":"{{sentAt}}"}""")).StatusCode);
        }

        Assert.Single(await _server.EventsAsync());
    }

    [Fact]
    public async Task Keeps_the_good_events_of_a_batch_and_logs_the_bad_one_with_its_reason()
    {
        var response = await _server.PostAsync("/v1/batch", $$"""{"batch":[{{Track("ok1")}},{"type":"track","userId":"u1","messageId":"bad"},{{Track("ok2")}},42]}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["ok2", "ok1"], (await _server.EventsAsync()).Select(e => e.GetProperty("messageId").GetString()));
        var rejected = await _server.RejectedAsync();
        Assert.Equal(2, rejected.Count);
        Assert.Contains(rejected, r => r.GetProperty("reason").GetString()!.Contains("\"event\" name", StringComparison.Ordinal) && r.GetProperty("payload").GetProperty("messageId").GetString() == "bad");
        Assert.Contains(rejected, r => r.GetProperty("reason").GetString()!.Contains("not a JSON object", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, "No write key")]
    [InlineData("wk_wrong", "Invalid write key")]
    public async Task Answers_401_with_a_reason_and_stores_nothing_without_a_valid_write_key(string? writeKey, string reason)
    {
        var response = await _server.PostAsync("/v1/batch", $$"""{"batch":[{{Track("x")}}]}""", writeKey);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(reason, (await JsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(await _server.EventsAsync());
        Assert.Empty(await _server.RejectedAsync());
    }

    [Theory]
    [InlineData("""{"batch":[""", "not valid JSON")]
    [InlineData("""[1,2,3]""", "must be a JSON object")]
    [InlineData("""{"events":[]}""", "\"batch\" array")]
    [InlineData("""{"batch":{"type":"track"}}""", "\"batch\" array")]
    public async Task Answers_400_to_a_body_that_is_not_a_batch(string body, string reason)
    {
        var response = await _server.PostAsync("/v1/batch", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, (await JsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(await _server.RejectedAsync());
    }

    [Fact]
    public async Task Answers_413_to_a_body_over_the_cap_and_to_a_gzip_bomb()
    {
        var events = string.Join(',', Enumerable.Range(0, 1000).Select(i => Track("big" + i)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await _server.PostAsync("/v1/batch", $$"""{"batch":[{{events}}]}""")).StatusCode);

        // 64 MB of spaces compress to ~64 KB of gzip... a bomb that must stop at the cap.
        var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var chunk = new byte[1 << 20];
            Array.Fill(chunk, (byte)' ');
            for (var i = 0; i < 64; i++)
            {
                await gzip.WriteAsync(chunk);
            }
        }

        Assert.True(compressed.Length < 65536, $"the bomb is {compressed.Length} bytes compressed");
        var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentEncoding.Add("gzip");
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/batch") { Content = content };
        request.Headers.Authorization = SamletServer.Basic(SamletServer.WriteKey);
        var response = await _server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("decompressed", (await JsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(await _server.EventsAsync());
    }

    [Fact]
    public async Task Answers_a_CORS_preflight_from_any_origin()
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/v1/t");
        request.Headers.Add("Origin", "https://shop.example.com");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization, x-retry-count, anonymousid, sentat");
        var response = await _server.Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal("https://shop.example.com", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", response.Headers.GetValues("Access-Control-Allow-Credentials").Single());
        Assert.Contains("anonymousid", response.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Acknowledges_analytics_next_telemetry_without_a_key()
    {
        var response = await _server.PostAsync("/v1/m", """{"series":[{"type":"Counter","metric":"analytics_js.invoke"}]}""", writeKey: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await _server.EventsAsync());
    }

    [Fact]
    public async Task Believes_X_Forwarded_For_only_from_a_trusted_proxy()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/track") { Content = new StringContent(Track("xff")) };
        request.Headers.Authorization = SamletServer.Basic(SamletServer.WriteKey);
        request.Headers.Add("X-Forwarded-For", "198.51.100.23, 10.0.0.1");
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.SendAsync(request)).StatusCode);
        Assert.Equal("198.51.100.23", Assert.Single(await _server.EventsAsync()).GetProperty("payload").GetProperty("context").GetProperty("ip").GetString());
    }

    [Fact]
    public async Task Answers_404_for_a_disabled_source()
    {
        var sources = JsonDocument.Parse(await _server.Admin.GetStringAsync("/api/sources")).RootElement;
        var id = sources[0].GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await _server.Admin.PostAsync($"/api/sources/{id}/disable", null)).StatusCode);
        var response = await _server.PostAsync("/v1/track", Track("d1"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("disabled", (await JsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
