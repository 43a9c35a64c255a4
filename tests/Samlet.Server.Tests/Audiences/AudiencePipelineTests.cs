using System.Net;
using System.Text.Json;

namespace Samlet.Server.Tests.Audiences;

/// <summary>
/// Audiences end to end on a real server: definitions through the admin API, events through the Tracking API, the real
/// pipeline (live batches and the backfill) deciding membership, and the reads: members, CSV export, profile, timeline, preview.
/// </summary>
public sealed class AudiencePipelineTests : IAsyncLifetime
{
    // Alice: email, 60 + 70 spent (big spender, repeat buyer); Bob: email, 500 (big spender); Carol: no email, 200 + 10
    // (repeat buyer only); Dave: browses.
    private static readonly string[] _events =
    [
        """{"type":"identify","userId":"alice","messageId":"a1","traits":{"email":"alice@example.com","name":"Alice \"Al\" Smith, Jr.","plan":"pro"}}""",
        """{"type":"track","userId":"alice","event":"Order Completed","messageId":"a2","properties":{"total":60}}""",
        """{"type":"track","userId":"alice","event":"Order Completed","messageId":"a3","properties":{"total":70}}""",
        """{"type":"identify","userId":"bob","messageId":"b1","traits":{"email":"bob@example.com","name":"=HYPERLINK(\"http://x\")","plan":"free"}}""",
        """{"type":"track","userId":"bob","event":"Order Completed","messageId":"b2","properties":{"total":500}}""",
        """{"type":"track","userId":"carol","event":"Order Completed","messageId":"c1","properties":{"total":200}}""",
        """{"type":"track","userId":"carol","event":"Order Completed","messageId":"c2","properties":{"total":10}}""",
        """{"type":"page","userId":"dave","name":"Home","messageId":"d1"}""",
    ];

    private readonly SamletServer _server = new(new Dictionary<string, string?> { ["Pipeline:RecheckSeconds"] = "1" });
    private AudienceApi _api = null!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _api = new AudienceApi(_server);
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    private async Task<List<string>> MemberIdsAsync(string audience) =>
        [.. (await _api.GetAsync($"/api/audiences/{audience}/members?limit=1000")).GetProperty("members").EnumerateArray().Select(m => m.GetProperty("profileId").GetString()!)];

    [Fact]
    public async Task Events_sent_after_the_definitions_bring_profiles_into_audiences_with_traits_exports_and_timeline_events()
    {
        await _api.PutAsync("/api/computed-traits/lifetime_spend", AudienceApi.LifetimeSpend);
        await _api.PutAsync("/api/audiences/big_spenders", AudienceApi.BigSpenders);
        await _api.PutAsync("/api/audiences/repeat_buyers", AudienceApi.RepeatBuyers);
        await _api.SettleAsync();

        await _api.TrackAsync(_events);
        await _server.WaitForPipelineAsync();
        await _api.SettleAsync();

        var alice = await _api.ProfileIdAsync("user_id:alice");
        var bob = await _api.ProfileIdAsync("user_id:bob");
        var carol = await _api.ProfileIdAsync("user_id:carol");
        var members = await _api.GetAsync("/api/audiences/big_spenders/members");
        Assert.Equal(2, members.GetProperty("count").GetInt64());
        Assert.Equal(new[] { alice, bob }.Order(StringComparer.Ordinal), members.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("profileId").GetString()));
        Assert.Equal(JsonValueKind.Null, members.GetProperty("next").ValueKind);
        Assert.Equal(new[] { alice, carol }.Order(StringComparer.Ordinal), await MemberIdsAsync("repeat_buyers"));

        // Paging: one at a time, "next" leads to the rest.
        var page = await _api.GetAsync("/api/audiences/big_spenders/members?limit=1");
        var next = page.GetProperty("next").GetString();
        var rest = await _api.GetAsync($"/api/audiences/big_spenders/members?limit=1&after={next}");
        Assert.Equal(new[] { alice, bob }.Order(StringComparer.Ordinal), new[] { page, rest }.Select(p => Assert.Single(p.GetProperty("members").EnumerateArray()).GetProperty("profileId").GetString()));

        var listed = (await _api.GetAsync("/api/audiences")).EnumerateArray().ToDictionary(a => a.GetProperty("key").GetString()!, a => a.GetProperty("members").GetInt64());
        Assert.Equal(2, listed["big_spenders"]);
        Assert.Equal(2, listed["repeat_buyers"]);
        Assert.Equal(2, (await _api.GetAsync("/api/audiences/big_spenders")).GetProperty("members").GetInt64());

        var profile = await _api.GetAsync($"/api/profiles/{alice}");
        var computed = profile.GetProperty("computedTraits");
        Assert.Equal(["lifetime_spend"], computed.EnumerateObject().Select(p => p.Name)); // the behaviour counter of repeat_buyers stays hidden
        Assert.Equal(130, computed.GetProperty("lifetime_spend").GetProperty("value").GetDouble());
        Assert.Equal(JsonValueKind.String, computed.GetProperty("lifetime_spend").GetProperty("computedAt").ValueKind);
        Assert.Equal(["big_spenders", "repeat_buyers"], profile.GetProperty("audiences").EnumerateObject().Select(p => p.Name));
        Assert.Equal("pro", profile.GetProperty("traits").GetProperty("plan").GetProperty("value").GetString()); // existing fields unchanged

        // Segment's Profile API shows them as trait classes.
        var workspaceId = (await _server.Store.Sources.ListWorkspacesAsync(CancellationToken.None))[0].Id;
        var segment = $"/v1/spaces/{workspaceId}/collections/users/profiles/user_id:alice/traits";
        var computedClass = (await _api.GetAsync(segment + "?class=computed_trait")).GetProperty("traits");
        Assert.Equal(["lifetime_spend"], computedClass.EnumerateObject().Select(p => p.Name));
        var audienceClass = (await _api.GetAsync(segment + "?class=audience")).GetProperty("traits");
        Assert.Equal(["big_spenders", "repeat_buyers"], audienceClass.EnumerateObject().Select(p => p.Name));
        Assert.True(audienceClass.GetProperty("big_spenders").GetBoolean());
        var all = (await _api.GetAsync(segment + "?limit=200")).GetProperty("traits");
        Assert.Equal(130, all.GetProperty("lifetime_spend").GetDouble());
        Assert.Equal("pro", all.GetProperty("plan").GetString());

        var memberships = (await _api.GetAsync("/api/profiles/user_id:alice/audiences")).EnumerateArray().ToList();
        Assert.Equal(["big_spenders", "repeat_buyers"], memberships.Select(m => m.GetProperty("audience").GetString()));
        Assert.Equal(["Big spenders", "Repeat buyers"], memberships.Select(m => m.GetProperty("name").GetString()));
        // The membership table keeps milliseconds; the profile keeps the full instant.
        var enteredOnProfile = profile.GetProperty("audiences").GetProperty("big_spenders").GetProperty("enteredAt").GetDateTimeOffset();
        Assert.InRange((enteredOnProfile - memberships[0].GetProperty("enteredAt").GetDateTimeOffset()).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));

        var timeline = (await _api.GetAsync($"/api/profiles/{alice}/events")).GetProperty("events").EnumerateArray().ToList();
        var entered = timeline.Where(e => e.GetProperty("event").GetString() == "Audience Entered")
            .Select(e => JsonDocument.Parse(e.GetProperty("payload").GetRawText()).RootElement.GetProperty("properties").GetProperty("audience_key").GetString())
            .Order(StringComparer.Ordinal);
        Assert.Equal(["big_spenders", "repeat_buyers"], entered);

        using var export = await _server.Admin.GetAsync("/api/audiences/big_spenders/export?traits=email,name,lifetime_spend,plan,missing");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        var csv = await export.Content.ReadAsStringAsync();
        var lines = csv.Split("\r\n");
        Assert.Equal("profile_id,entered_at,email,name,lifetime_spend,plan,missing", lines[0]);
        Assert.Equal(4, lines.Length); // header, two members, and the empty string after the last CRLF
        Assert.Equal("", lines[3]);
        var aliceLine = Assert.Single(lines, l => l.StartsWith(alice, StringComparison.Ordinal));
        Assert.Matches($"^{alice},\\d{{4}}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{{7}}Z,alice@example.com,\"Alice \"\"Al\"\" Smith, Jr.\",130,pro,$", aliceLine);
        // A name a spreadsheet would run as a formula is exported inert.
        Assert.EndsWith(",bob@example.com,\"'=HYPERLINK(\"\"http://x\"\")\",500,free,", Assert.Single(lines, l => l.StartsWith(bob, StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_definition_added_after_the_events_is_backfilled_to_the_count_its_preview_predicted()
    {
        await _api.TrackAsync(_events);
        await _server.WaitForPipelineAsync();
        await _api.PutAsync("/api/computed-traits/lifetime_spend", AudienceApi.LifetimeSpend);
        await _api.SettleAsync();

        // The computed trait was backfilled from the profiles' events; preview counts with it, and counts a behavioural
        // condition nobody keeps yet from the events.
        var previewBig = await _api.SendAsync(HttpMethod.Post, "/api/audiences/preview?sample=1", """{"condition":{"and":[{"computed":"lifetime_spend","op":"greaterThanOrEqual","value":100},{"has":"email"}]}}""");
        var previewRepeat = await _api.SendAsync(HttpMethod.Post, "/api/audiences/preview", AudienceApi.RepeatBuyers);
        Assert.Equal(HttpStatusCode.OK, previewBig.Status);
        Assert.Equal((2L, 4L), (previewBig.Body.GetProperty("count").GetInt64(), previewBig.Body.GetProperty("total").GetInt64()));
        Assert.Single(previewBig.Body.GetProperty("sample").EnumerateArray());
        Assert.True(previewBig.Body.GetProperty("tookMs").GetDouble() >= 0);
        Assert.Equal(2, previewRepeat.Body.GetProperty("count").GetInt64());
        Assert.Empty((await _api.GetAsync("/api/audiences")).EnumerateArray()); // previews save nothing

        await _api.PutAsync("/api/audiences/big_spenders", AudienceApi.BigSpenders);
        await _api.PutAsync("/api/audiences/repeat_buyers", AudienceApi.RepeatBuyers);
        var backfill = await Eventually.UntilAsync(() => _api.GetAsync("/api/audiences/backfill"), b => b.GetProperty("status").GetString() == "finished", "the backfill to finish");
        await _server.WaitForPipelineAsync();

        Assert.Equal(4, backfill.GetProperty("done").GetInt64());
        Assert.Equal(4, backfill.GetProperty("total").GetInt64());
        var big = await MemberIdsAsync("big_spenders");
        var repeat = await MemberIdsAsync("repeat_buyers");
        Assert.Equal(previewBig.Body.GetProperty("count").GetInt64(), big.Count);
        Assert.Equal(previewRepeat.Body.GetProperty("count").GetInt64(), repeat.Count);
        Assert.Equal(previewRepeat.Body.GetProperty("sample").EnumerateArray().Select(s => s.GetString()!), repeat);
        Assert.Contains(previewBig.Body.GetProperty("sample")[0].GetString(), big);
        Assert.Equal(new[] { await _api.ProfileIdAsync("user_id:alice"), await _api.ProfileIdAsync("user_id:bob") }.Order(StringComparer.Ordinal), big);

        var bob = await _api.GetAsync("/api/profiles/user_id:bob");
        Assert.Equal(500, bob.GetProperty("computedTraits").GetProperty("lifetime_spend").GetProperty("value").GetDouble());
        // A definition change re-derives memberships without announcing them (members and export give the population).
        Assert.DoesNotContain((await _api.GetAsync($"/api/profiles/{bob.GetProperty("id").GetString()}/events")).GetProperty("events").EnumerateArray(),
            e => e.GetProperty("event").GetString() == "Audience Entered");
    }

    [Fact]
    public async Task Deleting_an_audience_takes_its_memberships_with_it()
    {
        await _api.TrackAsync(_events);
        await _api.PutAsync("/api/audiences/repeat_buyers", AudienceApi.RepeatBuyers);
        await _server.WaitForPipelineAsync();
        await _api.SettleAsync();
        Assert.Equal(2, (await MemberIdsAsync("repeat_buyers")).Count);

        Assert.Equal(HttpStatusCode.NoContent, (await _api.SendAsync(HttpMethod.Delete, "/api/audiences/repeat_buyers")).Status);
        await _api.SettleAsync();

        Assert.Empty((await _api.GetAsync("/api/profiles/user_id:alice/audiences")).EnumerateArray());
        Assert.Empty((await _api.GetAsync("/api/profiles/user_id:alice")).GetProperty("audiences").EnumerateObject());
    }
}
