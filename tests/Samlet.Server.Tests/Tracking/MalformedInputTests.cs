using System.Net;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Samlet.Server.Tests.Tracking;

/// <summary>Whatever arrives, the Tracking API answers 2xx or 4xx with a reason, never 5xx, and valid traffic keeps flowing.</summary>
public sealed class MalformedInputTests : IAsyncLifetime
{
    private const string Valid = """{"batch":[{"type":"track","event":"Clicked","userId":"u1","properties":{"a":[1,2,{"b":null}]},"context":{"ip":"1.2.3.4"}}],"sentAt":"2026-11-25T10:00:00Z"}""";
    private readonly SamletServer _server = new(new() { ["Ingestion:MaxBodyBytes"] = "100000" });

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    private async Task<HttpStatusCode> SendAsync(HttpMethod method, string path, byte[]? body, string? contentEncoding = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (contentEncoding is not null)
            {
                request.Content.Headers.ContentEncoding.Add(contentEncoding);
            }
        }

        request.Headers.Authorization = SamletServer.Basic(SamletServer.WriteKey);
        using var response = await _server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode >= 400)
        {
            Assert.False(string.IsNullOrWhiteSpace(text), $"{(int)response.StatusCode} for {path} came without a reason");
        }

        return response.StatusCode;
    }

    public static TheoryData<string, string> Cases => new()
    {
        { "truncated", Valid[..40] },
        { "wrong types", """{"batch":[{"type":"track","event":{"x":1},"userId":[1],"properties":"p","context":7,"timestamp":false}]}""" },
        { "deep nesting", "{\"batch\":[" + string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000) + "]}" },
        { "huge string", "{\"batch\":[{\"type\":\"track\",\"event\":\"" + new string('e', 90_000) + "\",\"userId\":\"u\"}]}" },
        { "huge id", "{\"batch\":[{\"type\":\"track\",\"event\":\"A\",\"userId\":\"" + new string('u', 40_000) + "\"}]}" },
        { "null batch", """{"batch":null}""" },
        { "empty", "" },
        { "number", "12" },
        { "string", "\"batch\"" },
        { "lone surrogate", "{\"batch\":[{\"type\":\"track\",\"event\":\"\\ud800\",\"userId\":\"u\"}]}" },
        { "nul bytes", "{\"batch\":[{\"type\":\"track\",\"event\":\"a\u0000b\",\"userId\":\"u\"}]}" },
        { "huge number", """{"batch":[{"type":"track","event":"A","userId":1e999999,"properties":{"n":123456789012345678901234567890}}]}""" },
        { "duplicate keys", """{"batch":[{"type":"track","type":"identify","event":"A","userId":"u","userId":"v"}]}""" },
        { "bad timestamps", """{"batch":[{"type":"track","event":"A","userId":"u","timestamp":"2026-13-45T99:99:99Z","sentAt":"-1"}],"sentAt":{}}""" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Answers_malformed_bodies_with_a_4xx_or_by_rejecting_the_event(string name, string body)
    {
        foreach (var path in new[] { "/v1/batch", "/v1/track", "/api/s/track" })
        {
            var status = await SendAsync(HttpMethod.Post, path, Encoding.UTF8.GetBytes(body));
            Assert.True((int)status is 200 or (>= 400 and < 500), $"{name} on {path}: {(int)status}");
        }

        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Post, "/v1/batch", Encoding.UTF8.GetBytes(Valid)));
    }

    [Fact]
    public async Task Answers_invalid_UTF8_bad_gzip_and_unknown_encodings_with_4xx()
    {
        Assert.Equal(HttpStatusCode.BadRequest, await SendAsync(HttpMethod.Post, "/v1/batch", [.. "{\"batch\":[{\"type\":\"track\",\"event\":\""u8, 0xC3, 0x28, .. "\"}]}"u8]));
        Assert.Equal(HttpStatusCode.BadRequest, await SendAsync(HttpMethod.Post, "/v1/batch", Encoding.UTF8.GetBytes(Valid), "gzip"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, await SendAsync(HttpMethod.Post, "/v1/batch", Encoding.UTF8.GetBytes(Valid), "zstd"));
    }

    [Fact]
    public async Task Stores_nothing_from_a_body_shorter_than_its_Content_Length_and_keeps_serving()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await socket.ConnectAsync(_server.BaseAddress.Host, _server.BaseAddress.Port);
        var auth = SamletServer.Basic(SamletServer.WriteKey).Parameter;
        await socket.SendAsync(Encoding.ASCII.GetBytes(
            $"POST /v1/batch HTTP/1.1\r\nHost: x\r\nAuthorization: Basic {auth}\r\nContent-Length: 500\r\n\r\n{{\"batch\":["));
        socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        var buffer = new byte[4096];
        var answer = new StringBuilder();
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer)) > 0)
            {
                answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (System.Net.Sockets.SocketException)
        {
            // Kestrel may reset the connection of a truncated request instead of answering it.
        }

        Assert.True(answer.Length == 0 || answer.ToString().StartsWith("HTTP/1.1 400", StringComparison.Ordinal), answer.ToString());
        Assert.Empty(await _server.EventsAsync());
        Assert.Empty(await _server.RejectedAsync());
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Post, "/v1/batch", Encoding.UTF8.GetBytes(Valid)));
    }

    [Theory]
    [InlineData("GET", "/v1/batch")]
    [InlineData("PUT", "/v1/track")]
    [InlineData("DELETE", "/api/s/track")]
    [InlineData("POST", "/v1/unknown")]
    [InlineData("POST", "/api/s/purchase")]
    public async Task Answers_wrong_methods_and_paths_with_4xx_and_a_reason(string method, string path)
    {
        var status = await SendAsync(new HttpMethod(method), path, Encoding.UTF8.GetBytes(Valid));
        Assert.InRange((int)status, 400, 499);
    }

    [Fact]
    public async Task Never_answers_5xx_to_random_mutations_of_a_valid_batch()
    {
        var valid = Encoding.UTF8.GetBytes(Valid);
        var mutation = Gen.Choose(0, valid.Length - 1).SelectMany(position => Gen.Choose(0, 255).SelectMany(value => Gen.Choose(0, 3).Select(kind => (position, value, kind))));
        var mutations = Gen.ListOf(mutation).Select(list => list.Take(8).ToArray());
        var paths = Gen.Elements("/v1/batch", "/v1/t", "/v1/identify", "/api/s/page", "/beacon/v1/batch");
        Prop.ForAll(Arb.From(mutations), Arb.From(paths), (edits, path) =>
        {
            var body = new List<byte>(valid);
            foreach (var (position, value, kind) in edits)
            {
                var at = Math.Min(position, body.Count - 1);
                switch (kind)
                {
                    case 0: body[at] = (byte)value; break;
                    case 1: body.Insert(at, (byte)value); break;
                    case 2: body.RemoveAt(at); break;
                    default: body.RemoveRange(at, body.Count - at); break;
                }

                if (body.Count == 0)
                {
                    body.Add((byte)'{');
                }
            }

            var status = (int)SendAsync(HttpMethod.Post, path, [.. body]).GetAwaiter().GetResult();
            return (status is 200 or (>= 400 and < 500)).Label($"{status} for {Encoding.UTF8.GetString([.. body])}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));

        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Post, "/v1/batch", valid));
    }
}
