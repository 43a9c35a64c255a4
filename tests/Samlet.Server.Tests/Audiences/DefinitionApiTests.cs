using System.Net;
using System.Text.Json;

namespace Samlet.Server.Tests.Audiences;

/// <summary>The computed-trait and audience definitions API over a real server: every answer, every refusal.</summary>
public sealed class DefinitionApiTests : IAsyncLifetime
{
    private readonly SamletServer _server = new();
    private AudienceApi _api = null!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _api = new AudienceApi(_server);
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Creates_reads_replaces_lists_and_deletes_definitions_with_rising_versions()
    {
        var created = await _api.SendAsync(HttpMethod.Post, "/api/computed-traits", AudienceApi.LifetimeSpend);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("/api/computed-traits/lifetime_spend", created.Response.Headers.Location?.OriginalString);
        Assert.Equal("lifetime_spend", created.Body.GetProperty("key").GetString());
        Assert.Equal("Lifetime spend", created.Body.GetProperty("name").GetString());
        Assert.Equal("sum", created.Body.GetProperty("definition").GetProperty("aggregation").GetString());
        Assert.False(created.Body.TryGetProperty("members", out _));
        var first = created.Body.GetProperty("version").GetInt64();

        var read = await _api.GetAsync("/api/computed-traits/lifetime_spend");
        Assert.Equal(first, read.GetProperty("version").GetInt64());
        Assert.Equal(created.Body.GetProperty("updatedAt").GetString(), read.GetProperty("updatedAt").GetString());

        // PUT without a key in the body takes the route's key; replacing answers 200 with a newer version.
        var replaced = await _api.SendAsync(HttpMethod.Put, "/api/computed-traits/lifetime_spend",
            """{"name":"Spend, all time","aggregation":"sum","event":"Order Completed","property":"properties.total"}""");
        Assert.Equal(HttpStatusCode.OK, replaced.Status);
        Assert.Equal("Spend, all time", replaced.Body.GetProperty("name").GetString());
        Assert.Equal("lifetime_spend", replaced.Body.GetProperty("definition").GetProperty("key").GetString());
        var second = replaced.Body.GetProperty("version").GetInt64();
        Assert.True(second > first);

        var audience = await _api.SendAsync(HttpMethod.Put, "/api/audiences/big_spenders", AudienceApi.BigSpenders);
        Assert.Equal(HttpStatusCode.Created, audience.Status);
        Assert.Equal(0, audience.Body.GetProperty("members").GetInt64());
        Assert.True(audience.Body.GetProperty("version").GetInt64() > second);
        Assert.Equal("big_spenders", Assert.Single((await _api.GetAsync("/api/audiences")).EnumerateArray()).GetProperty("key").GetString());
        Assert.Equal("Spend, all time", Assert.Single((await _api.GetAsync("/api/computed-traits")).EnumerateArray()).GetProperty("name").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await _api.SendAsync(HttpMethod.Delete, "/api/audiences/big_spenders")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await _api.SendAsync(HttpMethod.Delete, "/api/computed-traits/lifetime_spend")).Status);
        Assert.Empty((await _api.GetAsync("/api/audiences")).EnumerateArray());
        Assert.Empty((await _api.GetAsync("/api/computed-traits")).EnumerateArray());
        AudienceApi.AssertProblem(HttpStatusCode.NotFound, await _api.SendAsync(HttpMethod.Get, "/api/audiences/big_spenders"), "There is no audience \"big_spenders\"");
        AudienceApi.AssertProblem(HttpStatusCode.NotFound, await _api.SendAsync(HttpMethod.Delete, "/api/computed-traits/lifetime_spend"), "There is no computed trait \"lifetime_spend\"");
    }

    [Fact]
    public async Task Refuses_an_invalid_definition_listing_every_problem_and_changes_nothing()
    {
        var answer = await _api.SendAsync(HttpMethod.Post, "/api/computed-traits", """{"key":"Bad Key","aggregation":"median","colour":"red"}""");

        var errors = AudienceApi.Errors(answer);
        Assert.Equal("Invalid definition", answer.Body.GetProperty("title").GetString());
        Assert.Contains(errors, e => e.StartsWith("/key: ", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("/aggregation: ", StringComparison.Ordinal) && e.Contains("count, sum", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("/colour: ", StringComparison.Ordinal));
        Assert.Empty((await _api.GetAsync("/api/computed-traits")).EnumerateArray());
        Assert.Equal("none", (await _api.GetAsync("/api/audiences/backfill")).GetProperty("status").GetString());

        var notJson = AudienceApi.Errors(await _api.SendAsync(HttpMethod.Put, "/api/audiences/x", "{not json"));
        Assert.StartsWith(": not valid JSON", Assert.Single(notJson), StringComparison.Ordinal);

        var badCondition = AudienceApi.Errors(await _api.SendAsync(HttpMethod.Put, "/api/audiences/x",
            """{"condition":{"and":[{"trait":"plan","op":"greater","value":1},{"performed":"Order Completed","atleast":2}]}}"""));
        Assert.Contains(badCondition, e => e.StartsWith("/condition/and/0/op: unknown operator 'greater'", StringComparison.Ordinal));
        Assert.Contains(badCondition, e => e.StartsWith("/condition/and/1/atleast", StringComparison.Ordinal));
        Assert.Empty((await _api.GetAsync("/api/audiences")).EnumerateArray());
    }

    [Fact]
    public async Task Refuses_unknown_references_cycles_a_mismatched_key_and_a_reserved_key_with_their_paths()
    {
        var unknownComputed = AudienceApi.Errors(await _api.SendAsync(HttpMethod.Post, "/api/audiences", AudienceApi.BigSpenders));
        Assert.Equal("/condition/and/0/computed: unknown computed trait 'lifetime_spend'; define it first", Assert.Single(unknownComputed));

        var unknownAudience = AudienceApi.Errors(await _api.SendAsync(HttpMethod.Put, "/api/audiences/a",
            """{"condition":{"and":[{"memberOf":"newsleter"},{"has":"email"}]}}"""));
        Assert.StartsWith("/condition/and/0/memberOf: unknown audience 'newsleter'", Assert.Single(unknownAudience), StringComparison.Ordinal);

        await _api.PutAsync("/api/audiences/b", """{"condition":{"has":"email"}}""");
        await _api.PutAsync("/api/audiences/a", """{"condition":{"memberOf":"b"}}""");
        var cycle = AudienceApi.Errors(await _api.SendAsync(HttpMethod.Put, "/api/audiences/b", """{"condition":{"not":{"memberOf":"a"}}}"""));
        Assert.Equal("/condition/not/memberOf: audience cycle: b → a → b", Assert.Single(cycle));
        Assert.Equal("has", (await _api.GetAsync("/api/audiences/b")).GetProperty("definition").GetProperty("condition").EnumerateObject().Single().Name);

        var mismatch = AudienceApi.Errors(await _api.SendAsync(HttpMethod.Put, "/api/audiences/c", """{"key":"d","condition":{"has":"email"}}"""));
        Assert.StartsWith("/key: the key in the body ('d') differs from the key in the path ('c')", Assert.Single(mismatch), StringComparison.Ordinal);

        var reserved = AudienceApi.Errors(await _api.SendAsync(HttpMethod.Put, "/api/audiences/backfill", """{"condition":{"has":"email"}}"""));
        Assert.StartsWith("/key: 'backfill' is reserved", Assert.Single(reserved), StringComparison.Ordinal);
        Assert.Equal(["a", "b"], (await _api.GetAsync("/api/audiences")).EnumerateArray().Select(a => a.GetProperty("key").GetString()));
    }

    [Fact]
    public async Task Refuses_to_create_twice_and_to_delete_what_an_audience_uses()
    {
        await _api.PutAsync("/api/computed-traits/lifetime_spend", AudienceApi.LifetimeSpend);
        await _api.PutAsync("/api/audiences/big_spenders", AudienceApi.BigSpenders);
        await _api.PutAsync("/api/audiences/big_and_reachable", """{"condition":{"and":[{"memberOf":"big_spenders"},{"has":"phone"}]}}""");
        await _api.PutAsync("/api/audiences/big_unreachable", """{"condition":{"and":[{"memberOf":"big_spenders"},{"not":{"has":"phone"}}]}}""");

        var twice = await _api.SendAsync(HttpMethod.Post, "/api/computed-traits", AudienceApi.LifetimeSpend);
        AudienceApi.AssertProblem(HttpStatusCode.Conflict, twice, "There is already a computed trait \"lifetime_spend\": replace it with PUT /api/computed-traits/lifetime_spend");

        var usedTrait = await _api.SendAsync(HttpMethod.Delete, "/api/computed-traits/lifetime_spend");
        AudienceApi.AssertProblem(HttpStatusCode.Conflict, usedTrait, "The computed trait \"lifetime_spend\" is used by the audience \"big_spenders\"");
        var usedAudience = await _api.SendAsync(HttpMethod.Delete, "/api/audiences/big_spenders");
        AudienceApi.AssertProblem(HttpStatusCode.Conflict, usedAudience, "is used by the audiences \"big_and_reachable\", \"big_unreachable\"");
        Assert.Equal(["big_and_reachable", "big_unreachable"], usedAudience.Body.GetProperty("usedBy").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(3, (await _api.GetAsync("/api/audiences")).GetArrayLength());
        Assert.Single((await _api.GetAsync("/api/computed-traits")).EnumerateArray());
    }

    [Fact]
    public async Task Refuses_oversized_bodies_bad_paging_unknown_audiences_and_missing_keys()
    {
        var huge = $$$"""{"key":"big","description":"{{{new string('x', 300 * 1024)}}}","condition":{"has":"email"}}""";
        AudienceApi.AssertProblem(HttpStatusCode.RequestEntityTooLarge, await _api.SendAsync(HttpMethod.Post, "/api/audiences", huge), "larger than 256 KB");
        AudienceApi.AssertProblem(HttpStatusCode.RequestEntityTooLarge, await _api.SendAsync(HttpMethod.Post, "/api/audiences/preview", huge), "larger than 256 KB");

        AudienceApi.AssertProblem(HttpStatusCode.NotFound, await _api.SendAsync(HttpMethod.Get, "/api/audiences/nobody/members"), "There is no audience \"nobody\"");
        AudienceApi.AssertProblem(HttpStatusCode.NotFound, await _api.SendAsync(HttpMethod.Get, "/api/audiences/nobody/export"), "There is no audience \"nobody\"");
        await _api.PutAsync("/api/audiences/emails", """{"condition":{"has":"email"}}""");
        AudienceApi.AssertProblem(HttpStatusCode.BadRequest, await _api.SendAsync(HttpMethod.Get, "/api/audiences/emails/members?limit=1001"), "\"limit\" must be a number from 1 to 1000");
        AudienceApi.AssertProblem(HttpStatusCode.BadRequest, await _api.SendAsync(HttpMethod.Get, "/api/audiences/emails/export?traits=email,~abc"), "\"~abc\" is not a trait name");
        AudienceApi.AssertProblem(HttpStatusCode.BadRequest, await _api.SendAsync(HttpMethod.Get, "/api/audiences/emails/export?traits=email,email"), "named twice");
        AudienceApi.AssertProblem(HttpStatusCode.BadRequest, await _api.SendAsync(HttpMethod.Post, "/api/audiences/preview?sample=101", """{"condition":{"has":"email"}}"""), "\"sample\" must be a number from 1 to 100");
        AudienceApi.AssertProblem(HttpStatusCode.NotFound, await _api.SendAsync(HttpMethod.Get, "/api/profiles/user_id:nobody/audiences"), "user_id:nobody");

        using var anonymous = await _server.Client.GetAsync("/api/audiences");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        using var put = await _server.Client.PutAsync("/api/computed-traits/x", new StringContent(AudienceApi.LifetimeSpend));
        Assert.Equal(HttpStatusCode.Unauthorized, put.StatusCode);
        Assert.Empty((await _api.GetAsync("/api/computed-traits")).EnumerateArray());
    }

    [Fact]
    public async Task Preview_refuses_an_invalid_definition_with_its_paths()
    {
        var errors = AudienceApi.Errors(await _api.SendAsync(HttpMethod.Post, "/api/audiences/preview", """{"condition":{"memberOf":"ghosts"}}"""));

        Assert.StartsWith("/condition/memberOf: unknown audience 'ghosts'", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backfill_reports_none_before_any_definition_then_the_version_of_the_latest_change()
    {
        var none = await _api.GetAsync("/api/audiences/backfill");
        Assert.Equal(("none", 0L), (none.GetProperty("status").GetString(), none.GetProperty("version").GetInt64()));

        var saved = await _api.PutAsync("/api/audiences/emails", """{"condition":{"has":"email"}}""");
        var finished = await Eventually.UntilAsync(() => _api.GetAsync("/api/audiences/backfill"), b => b.GetProperty("status").GetString() == "finished", "the backfill to finish");

        Assert.Equal(saved.GetProperty("version").GetInt64(), finished.GetProperty("version").GetInt64());
        Assert.Equal(JsonValueKind.String, finished.GetProperty("finishedAt").ValueKind);
        Assert.Equal(0, finished.GetProperty("done").GetInt64());
    }
}
