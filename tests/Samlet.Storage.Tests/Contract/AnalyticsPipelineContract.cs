using System.Text.Json.Nodes;
using Samlet.Analytics.Runs;
using Samlet.Audiences;
using Samlet.Events;
using Samlet.Sources;

namespace Samlet.Storage.Tests.Contract;

/// <summary>
/// The analytics job's predictions in the pipeline over a real store: identify events of the workspace's analytics
/// source set traits (with lineage) on the profile they name, move audiences that read those traits, show on the
/// timeline, follow merges, and are never the person's activity (no counts, no seen times, no aggregates); a rebuild
/// gives what live processing gave. Enrolled per backend as an empty subclass.
/// </summary>
public abstract class AnalyticsPipelineContract<TFixture> : WorkspaceScenario<TFixture>
    where TFixture : StoreFixture, new()
{
    private long _runs;

    /// <summary>Appends one analytics run's prediction for a profile (as the job does: the source first, the profile's identifiers for its ids).</summary>
    private async Task<CollectedEvent> PredictAsync(string profileId, params (string Key, JsonNode? Value)[] traits)
    {
        await OwnSources.EnsureAsync(Store.Sources, OwnSources.AnalyticsOf(Ws), Driver.Now, CancellationToken.None);
        var identity = (await Store.Audiences.LoadIdentitiesOfAsync([profileId], CancellationToken.None)).SingleOrDefault();
        var e = AnalyticsEvents.Create(Ws, ++_runs, profileId, identity, [.. traits.Select(t => KeyValuePair.Create(t.Key, t.Value))], Driver.Now);
        var result = await Store.Events.AppendAsync([e], [], CancellationToken.None);
        Assert.Equal(1, result.Stored);
        return e;
    }

    [Fact]
    public async Task A_prediction_sets_traits_with_lineage_and_shows_on_the_timeline_but_is_not_the_persons_activity()
    {
        await SendAsync(
            M("identify", DaysAgo(5), """ "userId":"u1","traits":{"email":"u1@shop.dk","plan":"pro"} """),
            M("track", DaysAgo(3), """ "userId":"u1","event":"Order Completed" """));
        await ProcessAsync();
        var before = await ProfileAsync("user_id:u1");

        var prediction = await PredictAsync(before.Id, ("p_alive", 0.82), ("rfm_segment", "Champions"), ("top_categories", new JsonArray("Running", "Trail")), ("churn_reason", null));
        await ProcessAsync();

        var after = await ProfileAsync("user_id:u1");
        Assert.Equal(before.Id, after.Id);
        Assert.Equal("0.82", after.Trait("p_alive"));
        Assert.Equal("\"Champions\"", after.Trait("rfm_segment"));
        Assert.Equal("""["Running","Trail"]""", after.Trait("top_categories"));
        Assert.Equal("null", after.Trait("churn_reason"));
        Assert.Equal("\"pro\"", after.Trait("plan"));
        var lineage = after.State.Traits["p_alive"]!;
        Assert.Equal((OwnSources.AnalyticsOf(Ws), prediction.MessageId, Driver.Now), (lineage.SourceId, lineage.MessageId, lineage.At));

        // Named by its user id, linked to the timeline, and nothing the person did.
        Assert.Equal("u1", prediction.UserId);
        Assert.Contains(prediction.MessageId, after.MessageIds);
        Assert.Equal(3, after.Events.Count);
        Assert.Equal(before.State.TypeCounts, after.State.TypeCounts);
        Assert.Equal(before.State.EventCounts, after.State.EventCounts);
        Assert.Equal((before.State.FirstSeen, before.State.LastSeen, before.State.LastSourceId, before.State.LastMessageId),
                     (after.State.FirstSeen, after.State.LastSeen, after.State.LastSourceId, after.State.LastMessageId));
        Assert.Equal(before.IdentifierTexts, after.IdentifierTexts);
        Assert.Null(await Driver.ProfileOfAsync(Ws, "anonymous_id:" + before.Id));

        // The same run's event again is a duplicate in the log.
        var again = AnalyticsEvents.Create(Ws, 1, before.Id, null, [KeyValuePair.Create("p_alive", (JsonNode?)0.1)], Driver.Now.AddHours(1));
        Assert.Equal(new AppendResult(0, 1, 0), await Store.Events.AppendAsync([again], [], CancellationToken.None));
    }

    [Fact]
    public async Task Between_a_prediction_and_a_user_identify_of_the_same_trait_the_later_event_time_wins()
    {
        await SendAsync(M("identify", DaysAgo(5), """ "userId":"u1","traits":{"rfm_segment":"set by hand"} """));
        await ProcessAsync();
        var id = (await ProfileAsync("user_id:u1")).Id;
        await PredictAsync(id, ("rfm_segment", "At Risk")); // at the pipeline's now
        await ProcessAsync();
        Assert.Equal("\"At Risk\"", (await ProfileAsync("user_id:u1")).Trait("rfm_segment"));

        // An identify sent later but with an earlier time loses; one with a later time wins, whatever the batches.
        await SendAsync(M("identify", DaysAgo(1), """ "userId":"u1","traits":{"rfm_segment":"late"} """));
        await ProcessAsync();
        Assert.Equal("\"At Risk\"", (await ProfileAsync("user_id:u1")).Trait("rfm_segment"));
        await SendAsync(M("identify", DaysAgo(-1), """ "userId":"u1","traits":{"rfm_segment":"newer"} """));
        await ProcessAsync();
        var profile = await ProfileAsync("user_id:u1");
        Assert.Equal("\"newer\"", profile.Trait("rfm_segment"));
        Assert.Equal(Src, profile.State.Traits["rfm_segment"]!.SourceId);
    }

    [Fact]
    public async Task A_prediction_moves_audiences_that_read_its_traits_and_they_are_announced()
    {
        // The audience also needs an e-mail address: settling after a prediction must see the profile's identifiers.
        await PutAsync(DefinitionKind.Audience, """{"key":"at_risk","name":"At risk","condition":{"and":[{"trait":"p_alive","op":"lessThan","value":0.3},{"has":"email"}]}}""");
        await PutAsync(DefinitionKind.Audience, """{"key":"reachable","name":"Reachable","condition":{"has":"email"}}""");
        await SendAsync(
            M("identify", DaysAgo(5), """ "userId":"u1","traits":{"email":"u1@shop.dk"} """),
            M("identify", DaysAgo(5), """ "anonymousId":"a2","traits":{"email":"a2@shop.dk"} """));
        await ProcessAsync();
        var u1 = await ProfileAsync("user_id:u1");
        var a2 = await ProfileAsync("anonymous_id:a2");
        Assert.Equal(["Audience Entered u1", "Audience Entered a2"], await AnnouncementsAsync());

        await PredictAsync(u1.Id, ("p_alive", 0.12));
        await PredictAsync(a2.Id, ("p_alive", 0.9));
        await ProcessAsync();

        Assert.Equal(["at_risk", "reachable"], (await ProfileAsync("user_id:u1")).State.Audiences.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["reachable"], (await ProfileAsync("anonymous_id:a2")).State.Audiences.Keys);
        Assert.Equal([u1.Id], (await Store.Audiences.GetMembersAsync(Ws, "at_risk", null, 10, CancellationToken.None)).Select(m => m.ProfileId));
        Assert.Equal(["Audience Entered u1", "Audience Entered a2", "Audience Entered u1"], await AnnouncementsAsync());

        // The next run's prediction takes the person out again.
        Driver.Now = Driver.Now.AddDays(1);
        await PredictAsync(u1.Id, ("p_alive", 0.7));
        await ProcessAsync();
        Assert.Equal(["reachable"], (await ProfileAsync("user_id:u1")).State.Audiences.Keys);
        Assert.Equal(["Audience Entered u1", "Audience Entered a2", "Audience Entered u1", "Audience Exited u1"], await AnnouncementsAsync());
        Assert.Equal("0.7", (await ProfileAsync("user_id:u1")).Trait("p_alive"));
    }

    [Fact]
    public async Task Predictions_fold_into_no_computed_trait_nor_behavioural_condition()
    {
        await PutAsync(DefinitionKind.ComputedTrait, """{"key":"identifies","aggregation":"count","type":"identify"}""");
        await PutAsync(DefinitionKind.ComputedTrait, """{"key":"last_segment","aggregation":"last","type":"identify","property":"traits.rfm_segment"}""");
        await PutAsync(DefinitionKind.Audience, """{"key":"twice_identified","name":"Identified twice","condition":{"computed":"identifies","op":"greaterThanOrEqual","value":2}}""");
        await SendAsync(M("identify", DaysAgo(5), """ "userId":"u1","traits":{"rfm_segment":"New"} """));
        await ProcessAsync();
        var id = (await ProfileAsync("user_id:u1")).Id;

        await PredictAsync(id, ("rfm_segment", "Champions"));
        await ProcessAsync();

        var profile = await ProfileAsync("user_id:u1");
        Assert.Equal("\"Champions\"", profile.Trait("rfm_segment"));
        Assert.Equal("1", profile.State.Computed["identifies"].Json);
        Assert.Equal("\"New\"", profile.State.Computed["last_segment"].Json);
        Assert.Empty(profile.State.Audiences);

        // A backfill re-folds the timeline, prediction included, and still leaves it out.
        await PutAsync(DefinitionKind.ComputedTrait, """{"key":"identifies_ever","aggregation":"count","type":"identify","window":"3650d"}""");
        await Driver.Worker().BackfillAsync(null, CancellationToken.None);
        profile = await ProfileAsync("user_id:u1");
        Assert.Equal("1", profile.State.Computed["identifies_ever"].Json);
        Assert.Equal("1", profile.State.Computed["identifies"].Json);
    }

    [Fact]
    public async Task A_prediction_for_a_profile_merged_away_since_goes_to_the_survivor_and_one_for_an_unknown_profile_is_skipped()
    {
        // Two pairs: one merged before the prediction is processed (a redirect in the store), one merged in the same batch after it.
        await SendAsync(
            M("identify", DaysAgo(6), """ "userId":"u1","traits":{"email":"u1@shop.dk"} """),
            M("page", DaysAgo(5), """ "anonymousId":"a1" """),
            M("identify", DaysAgo(6), """ "userId":"u2" """),
            M("page", DaysAgo(5), """ "anonymousId":"a2" """));
        await ProcessAsync();
        var a1 = (await ProfileAsync("anonymous_id:a1")).Id;
        var a2 = (await ProfileAsync("anonymous_id:a2")).Id;
        var a1Prediction = await PredictAsync(a1, ("p_alive", 0.25));
        await SendAsync(M("page", DaysAgo(4), """ "anonymousId":"a1","userId":"u1" """)); // after the prediction, in one batch
        var unknown = await PredictAsync("prf_nobodyhasthis", ("p_alive", 0.5));
        await ProcessAsync();

        await SendAsync(M("page", DaysAgo(4), """ "anonymousId":"a2","userId":"u2" """));
        await ProcessAsync();
        var a2Prediction = await PredictAsync(a2, ("p_alive", 0.75));
        await ProcessAsync();

        var u1 = await ProfileAsync("anonymous_id:a1");
        var u2 = await ProfileAsync("anonymous_id:a2");
        Assert.NotEqual(a1, u1.Id);
        Assert.NotEqual(a2, u2.Id);
        Assert.Equal(("0.25", a1Prediction.MessageId), (u1.Trait("p_alive"), u1.State.Traits["p_alive"]!.MessageId));
        Assert.Equal(("0.75", a2Prediction.MessageId), (u2.Trait("p_alive"), u2.State.Traits["p_alive"]!.MessageId));
        Assert.Contains(a1Prediction.MessageId, u1.MessageIds);
        Assert.Contains(a2Prediction.MessageId, u2.MessageIds);
        Assert.Equal(2, u1.Count("page"));
        Assert.Equal(2, u2.Count("page"));

        // The unknown profile's prediction created nothing and is on no timeline; the pipeline went past it.
        Assert.Equal("prf_nobodyhasthis", unknown.AnonymousId);
        Assert.Null(await Driver.ProfileOfAsync(Ws, "anonymous_id:prf_nobodyhasthis"));
        Assert.Null(await Store.Profiles.GetProfileAsync(Ws, "prf_nobodyhasthis", CancellationToken.None));
        Assert.DoesNotContain(unknown.MessageId, u1.MessageIds.Concat(u2.MessageIds));
        Assert.Equal(await Store.Events.LastSequenceAsync(CancellationToken.None), await Pipeline.PipelinePartitions.CheckpointOfAsync(Store, Ws, CancellationToken.None));
    }

    [Fact]
    public async Task A_rebuild_in_any_batch_size_gives_the_profiles_live_processing_gave_and_announces_nothing_again()
    {
        await PutAsync(DefinitionKind.ComputedTrait, """{"key":"orders","aggregation":"count","event":"Order Completed"}""");
        await PutAsync(DefinitionKind.Audience, """{"key":"at_risk","name":"At risk","condition":{"and":[{"trait":"p_alive","op":"lessThan","value":0.3},{"has":"email"}]}}""");
        await SendAsync(
            M("identify", DaysAgo(9), """ "userId":"u1","traits":{"email":"u1@shop.dk","rfm_segment":"manual"} """),
            M("track", DaysAgo(8), """ "userId":"u1","event":"Order Completed" """),
            M("identify", DaysAgo(7), """ "userId":"u2","traits":{"email":"u2@shop.dk"} """),
            M("page", DaysAgo(6.5), """ "anonymousId":"a1" """));
        await ProcessAsync();
        var a1 = (await ProfileAsync("anonymous_id:a1")).Id;
        var u1 = (await ProfileAsync("user_id:u1")).Id;
        var u2 = (await ProfileAsync("user_id:u2")).Id;
        await PredictAsync(u1, ("p_alive", 0.2), ("rfm_segment", "At Risk"));
        await PredictAsync(a1, ("p_alive", 0.1));
        await SendAsync(M("page", DaysAgo(6), """ "anonymousId":"a1","userId":"u2" """)); // a1 merges into u2
        await ProcessAsync();
        Driver.Now = Driver.Now.AddHours(1);
        await PredictAsync(a1, ("p_alive", 0.15)); // names the merged-away id
        await PredictAsync(u2, ("predicted_clv_12m", 120.5));
        Driver.Now = Driver.Now.AddDays(1);
        await PredictAsync(u1, ("p_alive", 0.6));
        await SendAsync(M("identify", DaysAgo(-2), """ "userId":"u1","traits":{"rfm_segment":"manual again"} """));
        await ProcessAsync();
        await ProcessAsync(); // links the announcements of the last batch

        var live = await Driver.DumpAsync(Ws, withHistory: false);
        Assert.Contains("trait predicted_clv_12m=120.5", live);
        Assert.Equal("0.15", (await ProfileAsync("user_id:u2")).Trait("p_alive"));
        var announcements = await AnnouncementsAsync();
        Assert.Equal(["Audience Entered u1", "Audience Entered u2", "Audience Exited u1"], announcements.Order(StringComparer.Ordinal));
        foreach (var batchSize in new[] { 1, 3, 2000 })
        {
            await Driver.Worker(batchSize).RebuildAsync(null, CancellationToken.None);
            Assert.Equal(live, await Driver.DumpAsync(Ws, withHistory: false));
            Assert.Equal(announcements, await AnnouncementsAsync());
        }
    }

    [Fact]
    public async Task The_schedule_runs_again_after_its_interval_and_an_hour_after_a_failed_run()
    {
        await SendAsync(M("track", DaysAgo(3), """ "userId":"u1","event":"Order Completed","properties":{"revenue":40} """));
        await ProcessAsync();
        var job = new AnalyticsJob(Store, Driver.Time);
        await Store.Analytics.PutSettingsAsync(Ws, """{"intervalHours":6}""", Driver.Now, CancellationToken.None);
        async Task<string> DueAsync() => string.Join(",", (await job.RunDueAsync(CancellationToken.None)).Select(r => $"{r.Trigger} {r.Status}".ToLowerInvariant()));

        // Nothing is due until that many minutes from now; then a scheduled run is, and succeeds.
        async Task DueInAsync(double minutes)
        {
            Driver.Now = Driver.Now.AddMinutes(minutes - 1);
            Assert.Equal("", await DueAsync());
            Driver.Now = Driver.Now.AddMinutes(1);
            Assert.Equal("schedule succeeded", await DueAsync());
        }

        // A run asked for that fails after running that long (as one does when the store goes away mid-run).
        async Task FailAsync(double minutes)
        {
            var run = await job.RequestAsync(Ws, "api", CancellationToken.None);
            Driver.Now = Driver.Now.AddMinutes(minutes);
            await Store.Analytics.UpdateRunAsync(
                run with { Status = AnalyticsRunStatus.Failed, StartedAt = run.RequestedAt, FinishedAt = Driver.Now, Error = "disk I/O error" }, CancellationToken.None);
        }

        Assert.Equal("schedule succeeded", await DueAsync()); // the first once there are profiles
        await DueInAsync(6 * 60);

        // A failed run is followed an hour after it ended, not an interval after it was asked for.
        await FailAsync(10);
        await DueInAsync(60);

        // Never later than the interval: with an interval under an hour, a failed run waits only that long.
        await Store.Analytics.PutSettingsAsync(Ws, """{"intervalHours":0.25}""", Driver.Now, CancellationToken.None);
        await FailAsync(0);
        await DueInAsync(15);
    }
}
