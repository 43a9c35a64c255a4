using System.Net;
using System.Text.Json;
using Samlet.Server.Tests.Audiences;

namespace Samlet.Server.Tests.Analytics;

/// <summary>
/// The analytics job end to end on a real server: orders and visits through the Tracking API, a run asked for through
/// the API and run by the server's scheduler, its report through the API, and its predictions on profiles (written
/// as events the pipeline applies) where audiences use them. Enrolled for SQLite and PostgreSQL.
/// </summary>
public abstract class AnalyticsApiTests : IAsyncLifetime
{
    private const int Customers = 150;
    private const string Predicted = """{"key":"predicted","name":"Has predictions","condition":{"trait":"rfm_segment","op":"exists"}}""";

    private SamletServer _server = null!;
    private AudienceApi _api = null!;

    /// <summary>The store's configuration (none: SQLite in a temporary folder).</summary>
    protected virtual Task<Dictionary<string, string?>> StoreAsync() => Task.FromResult(new Dictionary<string, string?>());

    protected virtual Task DropStoreAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        var configuration = await StoreAsync();
        configuration["Analytics:PollSeconds"] = "1";
        _server = new SamletServer(configuration);
        await _server.InitializeAsync();
        _api = new AudienceApi(_server);
        // Only runs asked for: the schedule would start one on its own as soon as there are profiles.
        await _api.PutAsync("/api/analytics/settings", """{"enabled":false,"holdoutDays":60}""");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await DropStoreAsync();
    }

    private async Task<JsonElement> FinishedAsync(long id) =>
        await Eventually.UntilAsync(() => _api.GetAsync($"/api/analytics/runs/{id}"), r => r.GetProperty("status").GetString() is "succeeded" or "failed",
            "the analytics run to finish", TimeSpan.FromSeconds(60));

    [Fact]
    public async Task A_run_reports_on_the_shop_and_writes_predictions_onto_customer_profiles_where_audiences_use_them()
    {
        var none = await _api.SendAsync(HttpMethod.Get, "/api/analytics/rfm");
        AudienceApi.AssertProblem(HttpStatusCode.NotFound, none, "No analytics run has succeeded");
        await _api.PutAsync("/api/audiences/predicted", Predicted);
        foreach (var chunk in AnalyticsShop.Events(Customers).Chunk(400))
        {
            await _api.TrackAsync(chunk);
        }

        await _server.WaitForPipelineAsync(TimeSpan.FromSeconds(60));

        var asked = await _api.SendAsync(HttpMethod.Post, "/api/analytics/runs");
        Assert.Equal(HttpStatusCode.Accepted, asked.Status);
        var id = asked.Body.GetProperty("id").GetInt64();
        Assert.Equal($"/api/analytics/runs/{id}", asked.Response.Headers.Location?.ToString());
        Assert.Equal("api", asked.Body.GetProperty("trigger").GetString());
        var run = await FinishedAsync(id);
        Assert.True(run.GetProperty("status").GetString() == "succeeded", run.ToString());
        Assert.Equal(Customers, run.GetProperty("profilesUpdated").GetInt32());

        var report = run.GetProperty("report");
        Assert.Equal(Customers, report.GetProperty("data").GetProperty("customers").GetInt32());
        Assert.Equal(Customers + 1, report.GetProperty("data").GetProperty("profiles").GetInt32());
        Assert.Equal(Customers, report.GetProperty("rfm").GetProperty("segments").EnumerateArray().Sum(s => s.GetProperty("customers").GetInt32()));
        var lifetime = report.GetProperty("lifetime");
        Assert.False(lifetime.TryGetProperty("error", out var error), error.ToString());
        Assert.Equal(["r", "alpha", "a", "b"], lifetime.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.Array, lifetime.GetProperty("spend").GetProperty("parameters").ValueKind);
        var backtest = report.GetProperty("backtest");
        Assert.True(backtest.GetProperty("actual").GetInt64() > 0, backtest.ToString());
        Assert.Contains(report.GetProperty("rules").GetProperty("rules").EnumerateArray(), r => r.GetProperty("consequent").GetString() == "sleeping-bag");
        Assert.Equal(["Email", "Organic Search", "Paid Search"], report.GetProperty("attribution").GetProperty("channels").EnumerateArray().Select(c => c.GetString()));

        // The predictions reach the profiles through the pipeline, as traits with lineage to the analytics run.
        await _server.WaitForPipelineAsync();
        await _api.SettleAsync();
        var profile = await _api.GetAsync("/api/profiles/user_id:c3");
        var traits = profile.GetProperty("traits");
        foreach (var name in (string[])["rfm_segment", "rfm_score", "predicted_purchases_90d", "p_alive", "churn_risk", "predicted_clv_12m", "recommended_products"])
        {
            Assert.True(traits.TryGetProperty(name, out _), $"{name} missing in {traits}");
        }

        Assert.InRange(traits.GetProperty("p_alive").GetProperty("value").GetDouble(), 0, 1);
        Assert.StartsWith("src_analytics_", traits.GetProperty("p_alive").GetProperty("source").GetString(), StringComparison.Ordinal);
        var browser = await _api.GetAsync("/api/profiles/user_id:browser");
        Assert.False(browser.GetProperty("traits").TryGetProperty("rfm_segment", out _));
        var members = await _api.GetAsync("/api/audiences/predicted/members?limit=1000");
        Assert.Equal(Customers, members.GetProperty("count").GetInt64());

        var rfm = await _api.GetAsync("/api/analytics/rfm");
        Assert.Equal(id, rfm.GetProperty("runId").GetInt64());
        Assert.Equal(Customers, rfm.GetProperty("rfm").GetProperty("customers").GetInt32());
        var funnels = await _api.GetAsync("/api/analytics/funnels");
        Assert.Equal("Purchase", funnels.GetProperty("funnels")[0].GetProperty("name").GetString());

        // Nothing changed, so a second run (on the same day) writes nothing.
        var day = TimeProvider.System.GetUtcNow().Date;
        var again = await FinishedAsync((await _api.SendAsync(HttpMethod.Post, "/api/analytics/runs")).Body.GetProperty("id").GetInt64());
        Assert.Equal("succeeded", again.GetProperty("status").GetString());
        if (TimeProvider.System.GetUtcNow().Date == day)
        {
            Assert.Equal(0, again.GetProperty("profilesUpdated").GetInt32());
        }

        var runs = await _api.GetAsync("/api/analytics/runs?limit=1");
        Assert.Equal(again.GetProperty("id").GetInt64(), Assert.Single(runs.GetProperty("runs").EnumerateArray()).GetProperty("id").GetInt64());
        Assert.False(runs.GetProperty("runs")[0].TryGetProperty("report", out _));
        var older = await _api.GetAsync($"/api/analytics/runs?before={runs.GetProperty("next").GetInt64()}");
        Assert.Equal(id, older.GetProperty("runs")[0].GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Settings_are_checked_whole_and_bad_requests_get_problems()
    {
        var refused = await _api.SendAsync(HttpMethod.Put, "/api/analytics/settings", """{"model":"magic","holdoutDays":-1,"colour":"red"}""");
        AudienceApi.AssertProblem(HttpStatusCode.BadRequest, refused, "nothing was changed");
        Assert.Equal(3, AudienceApi.Errors(refused).Count);
        Assert.False((await _api.GetAsync("/api/analytics/settings")).GetProperty("enabled").GetBoolean());

        var saved = await _api.PutAsync("/api/analytics/settings", """{"model":"paretonbd","funnels":[{"name":"Signup","steps":["Viewed","Signed Up"],"windowDays":2}]}""");
        Assert.Equal("paretonbd", saved.GetProperty("model").GetString());
        var read = await _api.GetAsync("/api/analytics/settings");
        Assert.Equal("Signup", read.GetProperty("funnels")[0].GetProperty("name").GetString());
        Assert.True(read.GetProperty("enabled").GetBoolean()); // a PUT replaces the settings; absent ones take their defaults

        AudienceApi.AssertProblem(HttpStatusCode.NotFound, await _api.SendAsync(HttpMethod.Get, "/api/analytics/runs/999"), "no analytics run 999");
        AudienceApi.AssertProblem(HttpStatusCode.NotFound, await _api.SendAsync(HttpMethod.Get, "/api/analytics/horoscope"), "no analytics report part");
        AudienceApi.AssertProblem(HttpStatusCode.BadRequest, await _api.SendAsync(HttpMethod.Get, "/api/analytics/runs?limit=0"), "limit");
        using var anonymous = new HttpClient { BaseAddress = _server.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/analytics/settings")).StatusCode);
    }

    [Fact]
    public async Task A_run_of_an_empty_workspace_succeeds_with_its_reasons()
    {
        var asked = await _api.SendAsync(HttpMethod.Post, "/api/analytics/runs");
        var run = await FinishedAsync(asked.Body.GetProperty("id").GetInt64());

        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(0, run.GetProperty("profilesUpdated").GetInt32());
        Assert.Contains(run.GetProperty("report").GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("no orders", StringComparison.Ordinal));
    }
}
