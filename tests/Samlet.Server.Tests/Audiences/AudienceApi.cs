using System.Net;
using System.Text;
using System.Text.Json;

namespace Samlet.Server.Tests.Audiences;

/// <summary>Calls of the audiences admin API on a <see cref="SamletServer"/>, and waiting for the pipeline to settle.</summary>
internal sealed class AudienceApi(SamletServer server)
{
    public const string LifetimeSpend = """{"key":"lifetime_spend","name":"Lifetime spend","aggregation":"sum","event":"Order Completed","property":"properties.total"}""";
    public const string BigSpenders = """{"key":"big_spenders","name":"Big spenders","condition":{"and":[{"computed":"lifetime_spend","op":"greaterThanOrEqual","value":100},{"has":"email"}]}}""";
    public const string RepeatBuyers = """{"key":"repeat_buyers","name":"Repeat buyers","condition":{"performed":"Order Completed","atLeast":2}}""";

    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        var response = await server.Admin.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, body, response);
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        var (status, body, _) = await SendAsync(HttpMethod.Get, path);
        Assert.True(status == HttpStatusCode.OK, $"GET {path}: {(int)status} {body}");
        return body;
    }

    public async Task<JsonElement> PutAsync(string path, string json)
    {
        var (status, body, _) = await SendAsync(HttpMethod.Put, path, json);
        Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Created, $"PUT {path}: {(int)status} {body}");
        return body;
    }

    /// <summary>Sends Segment-style events through the Tracking API.</summary>
    public async Task TrackAsync(params string[] events)
    {
        var response = await server.PostAsync("/v1/batch", $$"""{"batch":[{{string.Join(",", events)}}]}""");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Waits until the backfill of the latest definitions has finished and the pipeline applied every event (the audience events it appended too).</summary>
    public async Task SettleAsync()
    {
        await Eventually.UntilAsync(() => GetAsync("/api/audiences/backfill"), b => b.GetProperty("status").GetString() != "running", "the backfill to finish");
        await server.WaitForPipelineAsync();
    }

    public async Task<string> ProfileIdAsync(string identifier) => (await GetAsync($"/api/profiles/{identifier}")).GetProperty("id").GetString()!;

    public static void AssertProblem(HttpStatusCode expected, (HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response) answer, string detailPart)
    {
        Assert.True(answer.Status == expected, $"expected {(int)expected}, got {(int)answer.Status}: {answer.Body}");
        Assert.Equal("application/problem+json", answer.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, answer.Body.GetProperty("status").GetInt32());
        Assert.Contains(detailPart, answer.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    /// <summary>The <c>errors</c> of a 400 for an invalid definition, as "path: message".</summary>
    public static List<string> Errors((HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response) answer)
    {
        AssertProblem(HttpStatusCode.BadRequest, answer, "nothing was changed");
        return [.. answer.Body.GetProperty("errors").EnumerateArray().Select(e => $"{e.GetProperty("path").GetString()}: {e.GetProperty("message").GetString()}")];
    }
}
