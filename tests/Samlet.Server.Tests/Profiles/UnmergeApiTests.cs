using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Samlet.Server.Tests.Profiles;

/// <summary>
/// <c>POST /api/profiles/{id}/unmerge</c>: a laptop and a phone were merged because the same e-mail was typed on both
/// (a shared family address); cutting the e-mail gives each device its own profile again.
/// </summary>
public sealed class UnmergeApiTests : IAsyncLifetime
{
    private readonly SamletServer _server = new();

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        var sent = await _server.PostAsync("/v1/batch", """
            {"batch":[
              {"type":"track","anonymousId":"laptop","event":"Viewed","messageId":"u1","timestamp":"2026-03-01T10:00:00Z"},
              {"type":"track","anonymousId":"phone","event":"Viewed","messageId":"u2","timestamp":"2026-03-01T10:05:00Z"},
              {"type":"identify","anonymousId":"laptop","messageId":"u3","timestamp":"2026-03-01T10:10:00Z","traits":{"email":"shared@example.com","name":"Ann"}},
              {"type":"identify","anonymousId":"phone","messageId":"u4","timestamp":"2026-03-01T10:15:00Z","traits":{"email":"Shared@Example.com","name":"Ben"}}
            ]}
            """);
        sent.EnsureSuccessStatusCode();
        await _server.WaitForPipelineAsync();
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    private async Task<JsonElement> GetAsync(string path)
    {
        using var response = await _server.Admin.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode}");
        return await ProfileScenario.JsonAsync(response);
    }

    private async Task<string?> ProfileOfAsync(string identifier)
    {
        using var response = await _server.Admin.GetAsync($"/api/profiles/{identifier}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : (await ProfileScenario.JsonAsync(response)).GetProperty("id").GetString();
    }

    [Fact]
    public async Task Splits_a_profile_merged_through_a_shared_email()
    {
        var merged = await ProfileOfAsync("anonymous_id:laptop");
        Assert.Equal(merged, await ProfileOfAsync("anonymous_id:phone"));
        Assert.Equal(4, (await GetAsync($"/api/profiles/{merged}")).GetProperty("counts").GetProperty("total").GetInt64());

        using var response = await _server.Admin.PostAsJsonAsync($"/api/profiles/{merged}/unmerge", new { identifier = "email:Shared@Example.com" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var outcome = await ProfileScenario.JsonAsync(response);
        Assert.Equal(merged, outcome.GetProperty("profileId").GetString());
        Assert.Equal("email:shared@example.com", outcome.GetProperty("identifier").GetString());
        var profiles = outcome.GetProperty("profiles").EnumerateArray()
            .ToDictionary(p => Assert.Single(p.GetProperty("identifiers").EnumerateArray()).GetString()!, p => p);
        Assert.Equal(["anonymous_id:laptop", "anonymous_id:phone"], profiles.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((2, 2), (profiles["anonymous_id:laptop"].GetProperty("eventTotal").GetInt64(), profiles["anonymous_id:phone"].GetProperty("eventTotal").GetInt64()));
        Assert.Equal(("Ann", "Ben"), (profiles["anonymous_id:laptop"].GetProperty("name").GetString(), profiles["anonymous_id:phone"].GetProperty("name").GetString()));

        var laptop = await ProfileOfAsync("anonymous_id:laptop");
        var phone = await ProfileOfAsync("anonymous_id:phone");
        Assert.NotEqual(laptop, phone);
        Assert.Equal(profiles["anonymous_id:laptop"].GetProperty("id").GetString(), laptop);
        Assert.Null(await ProfileOfAsync("email:shared@example.com"));
        var history = (await GetAsync($"/api/profiles/{phone}/merges")).GetProperty("history").EnumerateArray().ToList();
        Assert.Equal("unmerge", history[^1].GetProperty("kind").GetString());
        Assert.Contains("email:shared@example.com was cut", history[^1].GetProperty("explanation").GetString(), StringComparison.Ordinal);

        // Later events with the cut e-mail no longer merge the two.
        (await _server.PostAsync("/v1/identify", """{"anonymousId":"laptop","messageId":"u5","traits":{"email":"shared@example.com"}}""")).EnsureSuccessStatusCode();
        await _server.WaitForPipelineAsync();
        Assert.Equal(laptop, await ProfileOfAsync("anonymous_id:laptop"));
        Assert.Equal(phone, await ProfileOfAsync("anonymous_id:phone"));
    }

    [Fact]
    public async Task Refuses_unmerges_of_unknown_profiles_malformed_identifiers_and_identifiers_not_held()
    {
        var merged = await ProfileOfAsync("anonymous_id:laptop");

        async Task<(int Status, string? Detail)> UnmergeAsync(string profile, string body)
        {
            using var response = await _server.Admin.PostAsync($"/api/profiles/{profile}/unmerge", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            var problem = await ProfileScenario.JsonAsync(response);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            return ((int)response.StatusCode, problem.TryGetProperty("detail", out var detail) ? detail.GetString() : null);
        }

        Assert.Equal(404, (await UnmergeAsync("prf_nobody", """{"identifier":"email:shared@example.com"}""")).Status);
        Assert.Equal(404, (await UnmergeAsync("user_id:nobody", """{"identifier":"email:shared@example.com"}""")).Status);
        Assert.Equal(400, (await UnmergeAsync(merged!, """{"identifier":"shared@example.com"}""")).Status);
        Assert.Equal(400, (await UnmergeAsync(merged!, """{"identifier":"email:not an email"}""")).Status);
        Assert.Equal(400, (await UnmergeAsync(merged!, "{}")).Status);
        var notHeld = await UnmergeAsync(merged!, """{"identifier":"email:someone.else@example.com"}""");
        Assert.Equal(409, notHeld.Status);
        Assert.Contains("does not hold email:someone.else@example.com", notHeld.Detail, StringComparison.Ordinal);
        Assert.Equal(merged, await ProfileOfAsync("anonymous_id:phone"));
    }
}
