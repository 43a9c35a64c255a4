using System.Net;
using System.Text.Json;

namespace Samlet.Server.Tests.Profiles;

/// <summary>The native Profile API over a real server whose pipeline applied the events of <see cref="ProfileScenario"/>.</summary>
public sealed class ProfileApiTests(ProfileScenario scenario) : IClassFixture<ProfileScenario>
{
    private static List<string?> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString())];

    [Fact]
    public async Task Finds_people_by_identifier_prefix_trait_value_and_exact_identifier()
    {
        var byPrefix = (await scenario.GetAsync("/api/profiles?query=jan")).GetProperty("profiles");
        var jane = Assert.Single(byPrefix.EnumerateArray());
        Assert.Equal("Jane Doe", jane.GetProperty("name").GetString());
        Assert.Equal("Jane@Example.com", jane.GetProperty("email").GetString());
        Assert.Equal(["anonymous_id:anon-jane", "email:jane@example.com", "user_id:jane"], Strings(jane.GetProperty("identifiers")).Order(StringComparer.Ordinal));
        Assert.Equal(7, jane.GetProperty("eventTotal").GetInt64());
        Assert.Equal("2026-03-01T09:00:00Z", jane.GetProperty("firstSeen").GetString());
        Assert.Equal("2026-03-01T09:50:00Z", jane.GetProperty("lastSeen").GetString());

        var byTrait = (await scenario.GetAsync("/api/profiles?query=Copenhagen")).GetProperty("profiles");
        Assert.Equal(jane.GetProperty("id").GetString(), Assert.Single(byTrait.EnumerateArray()).GetProperty("id").GetString());

        var byExact = (await scenario.GetAsync("/api/profiles?query=" + Uri.EscapeDataString("email:BOB+news@example.com"))).GetProperty("profiles");
        Assert.Equal("Bob Builder", byExact.EnumerateArray().First().GetProperty("name").GetString());

        Assert.Empty((await scenario.GetAsync("/api/profiles?query=nobody-at-all")).GetProperty("profiles").EnumerateArray());
    }

    [Fact]
    public async Task Shows_everything_about_a_profile_found_by_any_of_its_identifiers()
    {
        var profile = await scenario.GetAsync("/api/profiles/email:jane@example.com");
        var id = profile.GetProperty("id").GetString()!;
        Assert.StartsWith("prf_", id, StringComparison.Ordinal);
        foreach (var path in new[] { "/api/profiles/lookup/user_id:jane", "/api/profiles/anonymous_id:anon-jane", "/api/profiles/email:JANE@example.COM", $"/api/profiles/profile_id:{id}", $"/api/profiles/{id}" })
        {
            Assert.Equal(id, (await scenario.GetAsync(path)).GetProperty("id").GetString());
        }

        Assert.Equal(scenario.WorkspaceId, profile.GetProperty("workspaceId").GetString());
        Assert.Equal(JsonValueKind.Null, profile.GetProperty("redirectedFrom").ValueKind);
        Assert.Equal("2026-03-01T09:00:00Z", profile.GetProperty("createdAt").GetString());
        var identities = profile.GetProperty("identities").EnumerateArray().ToDictionary(i => i.GetProperty("identifier").GetString()!, i => i.GetProperty("addedAt").GetString());
        Assert.Equal("2026-03-01T09:00:00Z", identities["anonymous_id:anon-jane"]);
        Assert.Equal("2026-03-01T09:10:00Z", identities["email:jane@example.com"]);
        Assert.Equal("2026-03-01T09:10:00Z", identities["user_id:jane"]);

        var plan = profile.GetProperty("traits").GetProperty("plan");
        Assert.Equal("pro", plan.GetProperty("value").GetString());
        Assert.Equal("j3", plan.GetProperty("messageId").GetString());
        Assert.Equal(scenario.SourceId, plan.GetProperty("source").GetString());
        Assert.Equal("2026-03-01T09:20:00Z", plan.GetProperty("at").GetString());
        Assert.Equal("j2", profile.GetProperty("traits").GetProperty("city").GetProperty("messageId").GetString());

        var counts = profile.GetProperty("counts");
        Assert.Equal(7, counts.GetProperty("total").GetInt64());
        Assert.Equal(3, counts.GetProperty("byType").GetProperty("track").GetInt64());
        Assert.Equal(2, counts.GetProperty("byType").GetProperty("identify").GetInt64());
        Assert.Equal(2, counts.GetProperty("byEvent").GetProperty("Order Completed").GetInt64());
        Assert.Equal(1, counts.GetProperty("byEvent").GetProperty("Product Viewed").GetInt64());

        var account = Assert.Single(profile.GetProperty("accounts").EnumerateArray());
        Assert.Equal("acme", account.GetProperty("groupId").GetString());
        Assert.Equal("Acme Inc", account.GetProperty("traits").GetProperty("name").GetString());

        Assert.Equal(ProfileScenario.JaneMessages.Reverse(), profile.GetProperty("recentEvents").EnumerateArray().Select(e => e.GetProperty("messageId").GetString()));
        Assert.Equal(JsonValueKind.Null, profile.GetProperty("moreEvents").ValueKind);
        Assert.Contains(profile.GetProperty("history").EnumerateArray(), h => h.GetProperty("kind").GetString() == "merge");
    }

    [Fact]
    public async Task Answers_for_a_merged_away_profile_with_its_survivor_and_says_so()
    {
        var survivor = (await scenario.GetAsync("/api/profiles/user_id:jane")).GetProperty("id").GetString()!;
        var merges = await scenario.GetAsync($"/api/profiles/{survivor}/merges");
        var merge = Assert.Single(merges.GetProperty("history").EnumerateArray(), h => h.GetProperty("kind").GetString() == "merge");
        var mergedAway = Assert.Single(Strings(merge.GetProperty("mergedProfiles")))!;
        Assert.NotEqual(survivor, mergedAway);

        using var response = await scenario.Server.Admin.GetAsync($"/api/profiles/{mergedAway}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"/api/profiles/{survivor}", response.Content.Headers.ContentLocation?.ToString());
        var body = await ProfileScenario.JsonAsync(response);
        Assert.Equal(survivor, body.GetProperty("id").GetString());
        Assert.Equal(mergedAway, body.GetProperty("redirectedFrom").GetString());
        Assert.Equal(mergedAway, (await scenario.GetAsync($"/api/profiles/{mergedAway}/merges")).GetProperty("redirectedFrom").GetString());
        Assert.Equal(7, (await scenario.GetAsync($"/api/profiles/{mergedAway}/events")).GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task Explains_the_identity_history_in_plain_words()
    {
        var history = (await scenario.GetAsync("/api/profiles/user_id:jane/merges")).GetProperty("history").EnumerateArray().ToList();

        Assert.Equal(["create", "create", "merge"], history.Select(h => h.GetProperty("kind").GetString()));
        Assert.Equal(["j1", "j2", "j3"], history.Select(h => h.GetProperty("messageId").GetString()));
        Assert.Equal("2026-03-01T09:20:00Z", history[2].GetProperty("at").GetString());
        var words = history[2].GetProperty("explanation").GetString()!;
        Assert.Contains("Event j3 (identify at 2026-03-01T09:20:00Z) linked 2 profiles", words, StringComparison.Ordinal);
        Assert.Contains("by anonymous_id:anon-jane", words, StringComparison.Ordinal);
        Assert.Contains("by user_id:jane", words, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_the_timeline_newest_first_by_log_position()
    {
        var seen = new List<string?>();
        string? next = null;
        var pages = 0;
        do
        {
            var page = await scenario.GetAsync("/api/profiles/user_id:jane/events?limit=3" + (next is null ? "" : "&before=" + next));
            seen.AddRange(page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("messageId").GetString()));
            next = page.GetProperty("next").GetString();
            pages++;
        }
        while (next is not null);

        Assert.Equal(ProfileScenario.JaneMessages.Reverse(), seen);
        Assert.Equal(3, pages);
    }

    [Theory]
    [InlineData("/api/profiles/email:nobody@example.com", 404)]
    [InlineData("/api/profiles/prf_doesnotexist", 404)]
    [InlineData("/api/profiles/group_id:acme", 404)]
    [InlineData("/api/profiles/user_id:nobody/events", 404)]
    [InlineData("/api/profiles/user_id:nobody/merges", 404)]
    [InlineData("/api/profiles/not-an-identifier", 400)]
    [InlineData("/api/profiles/Email:jane@example.com", 400)]
    [InlineData("/api/profiles/email:not-an-email", 400)]
    [InlineData("/api/profiles/lookup/user_id:", 400)]
    [InlineData("/api/profiles/user_id:jane/events?before=x", 400)]
    [InlineData("/api/profiles/user_id:jane/events?limit=0", 400)]
    [InlineData("/api/profiles", 400)]
    [InlineData("/api/profiles?query=jane&limit=1000", 400)]
    public async Task Answers_ProblemDetails_for_unknown_and_malformed_profiles(string path, int status)
    {
        using var response = await scenario.Server.Admin.GetAsync(path);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ProfileScenario.JsonAsync(response);
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Requires_an_API_key()
    {
        foreach (var path in new[] { "/api/profiles?query=jane", "/api/profiles/user_id:jane", "/api/profiles/user_id:jane/events", "/api/profiles/user_id:jane/merges" })
        {
            using var response = await scenario.Server.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var unmerge = await scenario.Server.Client.PostAsync("/api/profiles/user_id:jane/unmerge", new StringContent("""{"identifier":"email:jane@example.com"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, unmerge.StatusCode);
    }

    [Fact]
    public async Task Keeps_workspaces_apart()
    {
        var ours = (await scenario.GetAsync("/api/profiles/user_id:jane")).GetProperty("id").GetString();

        using var theirsById = await scenario.Other.GetAsync($"/api/profiles/{ours}");
        Assert.Equal(HttpStatusCode.NotFound, theirsById.StatusCode);
        using var theirs = await scenario.Other.GetAsync("/api/profiles/user_id:jane");
        var body = await ProfileScenario.JsonAsync(theirs);
        Assert.NotEqual(ours, body.GetProperty("id").GetString());
        Assert.Equal("other", body.GetProperty("traits").GetProperty("plan").GetProperty("value").GetString());
        using var search = await scenario.Other.GetAsync("/api/profiles?query=Copenhagen");
        Assert.Empty((await ProfileScenario.JsonAsync(search)).GetProperty("profiles").EnumerateArray());
    }
}
