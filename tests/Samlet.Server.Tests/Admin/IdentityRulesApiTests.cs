using System.Net;
using System.Text;
using System.Text.Json;

namespace Samlet.Server.Tests.Admin;

public sealed class IdentityRulesApiTests : IAsyncLifetime
{
    private readonly SamletServer _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    private Task<HttpResponseMessage> PutAsync(string json) =>
        _server.Admin.PutAsync("/api/identity/rules", new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task Shows_the_default_rules_until_they_are_changed()
    {
        var rules = await JsonAsync(await _server.Admin.GetAsync("/api/identity/rules"));
        Assert.Equal("US", rules.GetProperty("defaultRegion").GetString());
        Assert.Contains("undefined", rules.GetProperty("blockedValues").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task Stores_valid_rules_and_applies_them_to_new_events()
    {
        var put = await PutAsync("""{"defaultRegion":"DK","types":[{"type":"crm_id","priority":2,"limit":1,"paths":["traits.crm_id"]}]}""");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var stored = await JsonAsync(await _server.Admin.GetAsync("/api/identity/rules"));
        Assert.Equal("DK", stored.GetProperty("defaultRegion").GetString());
        Assert.Equal("crm_id", stored.GetProperty("types")[0].GetProperty("type").GetString());

        // The pipeline picks the new type up: two anonymous visitors with one CRM id become one profile.
        Assert.Equal(HttpStatusCode.OK, (await _server.PostAsync("/v1/batch", """
            {"batch":[{"type":"identify","anonymousId":"a1","traits":{"crm_id":"C-1"}},{"type":"identify","anonymousId":"a2","traits":{"crm_id":"C-1"}}]}
            """)).StatusCode);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while ((await JsonAsync(await _server.Client.GetAsync("/readyz", timeout.Token))).GetProperty("pipeline").GetProperty("eventsBehind").GetInt64() > 0)
        {
            await tick.WaitForNextTickAsync(timeout.Token);
        }

        var store = _server.Store;
        var workspace = (await store.Sources.ListWorkspacesAsync(CancellationToken.None)).Single().Id;
        var a1 = await store.Profiles.FindProfileIdAsync(workspace, Samlet.Identity.Identifier.Parse("anonymous_id:a1"), CancellationToken.None);
        Assert.NotNull(a1);
        Assert.Equal(a1, await store.Profiles.FindProfileIdAsync(workspace, Samlet.Identity.Identifier.Parse("crm_id:C-1"), CancellationToken.None));
        Assert.Equal(a1, await store.Profiles.FindProfileIdAsync(workspace, Samlet.Identity.Identifier.Parse("anonymous_id:a2"), CancellationToken.None));
    }

    [Fact]
    public async Task Refuses_invalid_rules_with_every_problem_and_changes_nothing()
    {
        var put = await PutAsync("""{"defaultRegion":"XX","types":[{"type":"email","limit":0},{"type":"Bad Type"}],"blockedPatterns":["("]}""");
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("application/problem+json", put.Content.Headers.ContentType?.MediaType);
        var errors = (await JsonAsync(put)).GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(errors, e => e.Contains("defaultRegion 'XX'"));
        Assert.Contains(errors, e => e.Contains("Bad Type"));
        Assert.Contains(errors, e => e.Contains("'(' is not a valid regular expression"));
        Assert.True(errors.Count >= 4, string.Join("\n", errors));
        Assert.Equal("US", (await JsonAsync(await _server.Admin.GetAsync("/api/identity/rules"))).GetProperty("defaultRegion").GetString());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"types":[{"type":"email","limt":3}]}""")]
    [InlineData("null")]
    [InlineData("[]")]
    public async Task Refuses_malformed_rules_with_a_ProblemDetails_that_says_where(string body)
    {
        var put = await PutAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.StartsWith("The rules are", (await JsonAsync(put)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Requires_an_API_key()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.Client.GetAsync("/api/identity/rules")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.Client.PutAsync("/api/identity/rules", new StringContent("{}"))).StatusCode);
    }
}
