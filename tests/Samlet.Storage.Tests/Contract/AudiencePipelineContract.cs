using Samlet.Audiences;
using Samlet.Identity;

namespace Samlet.Storage.Tests.Contract;

/// <summary>
/// The computed-trait and audience stage over a real store, as scenarios (issue 4's "must hold"): announcements in the
/// log and on the timeline, rolling windows and their scheduled re-check, late events, unmerge, backfill, and a silent
/// rebuild. Enrolled per backend as an empty subclass.
/// </summary>
public abstract class AudiencePipelineContract<TFixture> : WorkspaceScenario<TFixture>
    where TFixture : StoreFixture, new()
{
    [Fact]
    public async Task Entering_and_leaving_a_rolling_window_audience_is_announced_once_each_and_shows_on_the_timeline()
    {
        await PutAsync(DefinitionKind.ComputedTrait, """{"key":"orders_7d","aggregation":"count","event":"Order Completed","window":"7d"}""");
        await PutAsync(DefinitionKind.Audience, """{"key":"recent_buyers","name":"Recent buyers","condition":{"computed":"orders_7d","op":"greaterThanOrEqual","value":2}}""");
        await SendAsync(
            M("track", DaysAgo(3), """ "userId":"u1","event":"Order Completed" """),
            M("track", DaysAgo(1), """ "userId":"u1","event":"Order Completed" """));
        await ProcessAsync();

        var buyer = await ProfileAsync("user_id:u1");
        Assert.Equal("2", buyer.State.Computed["orders_7d"].Json);
        Assert.Contains("recent_buyers", buyer.State.Audiences.Keys);
        // The order of 3 days ago leaves the window one tick after 4 days from now (re-checked at the next millisecond).
        Assert.Equal(Driver.Now.AddDays(4).AddMilliseconds(1), buyer.State.RecheckAt);
        Assert.Equal(["Audience Entered u1"], await AnnouncementsAsync());

        // Nothing happens until the window moves; then the scheduled re-check takes the person out.
        var worker = Driver.Worker();
        Assert.Equal(0, await worker.RecheckAsync(CancellationToken.None));
        Driver.Now = Driver.Now.AddDays(4);
        Assert.Equal(0, await worker.RecheckAsync(CancellationToken.None));
        Driver.Now = Driver.Now.AddMilliseconds(1);
        Assert.Equal(1, await worker.RecheckAsync(CancellationToken.None));
        await worker.CatchUpAsync(null, CancellationToken.None);

        buyer = await ProfileAsync("user_id:u1");
        Assert.Equal("1", buyer.State.Computed["orders_7d"].Json);
        Assert.Empty(buyer.State.Audiences);
        Assert.Empty(await Store.Audiences.GetMembershipsAsync(Ws, buyer.Id, CancellationToken.None));
        Assert.Equal(["Audience Entered u1", "Audience Exited u1"], await AnnouncementsAsync());
        Assert.Equal(4, buyer.Events.Count); // two orders and two announcements
        Assert.Equal(2, buyer.Count("track")); // announcements are not the person's events
    }

    [Fact]
    public async Task An_audience_on_its_own_announcements_does_not_feed_on_them()
    {
        await PutAsync(DefinitionKind.Audience, """{"key":"quiet","name":"Quiet","condition":{"notPerformed":"Audience Entered"}}""");
        await SendAsync(M("identify", DaysAgo(1), """ "userId":"u1","traits":{"plan":"pro"} """));
        for (var i = 0; i < 3; i++)
        {
            await ProcessAsync();
            await Driver.Worker().RecheckAsync(CancellationToken.None);
        }

        Assert.Equal(["Audience Entered u1"], await AnnouncementsAsync());
        Assert.Contains("quiet", (await ProfileAsync("user_id:u1")).State.Audiences.Keys);
    }

    [Fact]
    public async Task A_late_event_counts_if_its_time_is_inside_the_window_and_not_otherwise()
    {
        await PutAsync(DefinitionKind.Audience, """{"key":"viewers","name":"Viewers","condition":{"performed":"Product Viewed","atLeast":2,"within":"7d"}}""");
        await SendAsync(M("track", DaysAgo(2), """ "userId":"u1","event":"Product Viewed" """));
        await ProcessAsync();
        await SendAsync(M("track", DaysAgo(9), """ "userId":"u1","event":"Product Viewed" """)); // late, and too old
        await ProcessAsync();
        Assert.Empty((await ProfileAsync("user_id:u1")).State.Audiences);

        await SendAsync(M("track", DaysAgo(6), """ "userId":"u1","event":"Product Viewed" """)); // late, inside the window
        await ProcessAsync();
        Assert.Contains("viewers", (await ProfileAsync("user_id:u1")).State.Audiences.Keys);
    }

    [Fact]
    public async Task After_an_unmerge_memberships_follow_the_re_derived_profiles()
    {
        await PutAsync(DefinitionKind.Audience, """{"key":"buyers","name":"Buyers","condition":{"performed":"Order Completed"}}""");
        await SendAsync(
            M("identify", DaysAgo(5), """ "anonymousId":"anna-laptop","traits":{"email":"family@home.dk","name":"Anna"} """),
            M("identify", DaysAgo(4), """ "anonymousId":"bo-phone","traits":{"email":"family@home.dk","name":"Bo"} """),
            M("track", DaysAgo(3), """ "anonymousId":"bo-phone","event":"Order Completed" """));
        await ProcessAsync();
        var merged = await ProfileAsync("email:family@home.dk");
        Assert.Contains("buyers", merged.State.Audiences.Keys);

        await Driver.Worker().UnmergeAsync(Ws, merged.Id, Identifier.Parse("email:family@home.dk"), CancellationToken.None);
        await ProcessAsync();

        var anna = await ProfileAsync("anonymous_id:anna-laptop");
        var bo = await ProfileAsync("anonymous_id:bo-phone");
        Assert.Equal(merged.Id, anna.Id);
        Assert.Empty(anna.State.Audiences);
        Assert.Contains("buyers", bo.State.Audiences.Keys);
        var members = await Store.Audiences.GetMembersAsync(Ws, "buyers", null, 10, CancellationToken.None);
        Assert.Equal([bo.Id], members.Select(m => m.ProfileId));
        // The merged profile entered (named by its latest anonymous id, Bo's); its id is Anna's again and leaves; Bo's new profile enters.
        Assert.Equal(["Audience Entered bo-phone", "Audience Exited anna-laptop", "Audience Entered bo-phone"], await AnnouncementsAsync());
    }

    [Fact]
    public async Task A_definition_added_later_is_backfilled_silently_from_the_events_and_a_rebuild_announces_nothing_again()
    {
        await SendAsync(
            M("track", DaysAgo(20), """ "userId":"u1","event":"Order Completed","properties":{"total":40} """),
            M("track", DaysAgo(10), """ "userId":"u1","event":"Order Completed","properties":{"total":60.5} """),
            M("track", DaysAgo(10), """ "userId":"u2","event":"Order Completed","properties":{"total":10} """));
        await ProcessAsync();
        await PutAsync(DefinitionKind.ComputedTrait, """{"key":"spend","aggregation":"sum","event":"Order Completed","property":"properties.total"}""");
        await PutAsync(DefinitionKind.Audience, """{"key":"big_spenders","name":"Big spenders","condition":{"computed":"spend","op":"greaterThan","value":50}}""");

        // An event processed before the backfill reaches its profile must not make the backfill skip the older ones.
        await SendAsync(M("track", DaysAgo(1), """ "userId":"u2","event":"Order Completed","properties":{"total":5} """));
        await ProcessAsync();
        var worker = Driver.Worker();
        Assert.Equal(2, await worker.BackfillAsync(null, CancellationToken.None));
        var backfill = await Store.Audiences.GetBackfillAsync(Ws, CancellationToken.None);
        Assert.NotNull(backfill?.FinishedAt);
        Assert.Equal(2, backfill.Done);

        Assert.Equal("100.5", (await ProfileAsync("user_id:u1")).State.Computed["spend"].Json);
        Assert.Equal("15", (await ProfileAsync("user_id:u2")).State.Computed["spend"].Json);
        Assert.Empty(await AnnouncementsAsync()); // a definition change is not the person's doing: not announced

        // From then on, changes are announced.
        await SendAsync(M("track", DaysAgo(0.5), """ "userId":"u2","event":"Order Completed","properties":{"total":40} """));
        await ProcessAsync();
        Assert.Equal(["Audience Entered u2"], await AnnouncementsAsync());

        await worker.CatchUpAsync(null, CancellationToken.None);
        var live = await Driver.DumpAsync(Ws, withHistory: false);
        await worker.RebuildAsync(null, CancellationToken.None);
        Assert.Equal(live, await Driver.DumpAsync(Ws, withHistory: false));
        Assert.Equal(["Audience Entered u2"], await AnnouncementsAsync());
        Assert.Equal(2, (await Store.Audiences.CountMembersAsync(Ws, CancellationToken.None))["big_spenders"]);
    }
}
