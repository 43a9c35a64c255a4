using Samlet.Events;
using Samlet.Identity;
using Samlet.Pipeline;

namespace Samlet.Storage.Tests.Contract;

/// <summary>
/// The identity and profile stages over a real store, as scenarios (issue 3's "must hold"). Enrolled per backend as an
/// empty subclass, so SQLite and PostgreSQL give the same profiles.
/// </summary>
public abstract class PipelineContract<TFixture> : IAsyncLifetime
    where TFixture : StoreFixture, new()
{
    protected const string Ws = "ws_shop";
    protected const string Src = "src_web";
    private readonly TFixture _fixture = new();
    private PipelineDriver _driver = null!;

    protected ICdpStore Store => _fixture.Store;

    protected PipelineDriver Driver => _driver;

    public async Task InitializeAsync()
    {
        await _fixture.InitializeAsync();
        _driver = new PipelineDriver(Store);
        await _driver.AddWorkspaceAsync(Ws, Src);
    }

    public Task DisposeAsync() => _fixture.DisposeAsync();

    protected string M(string type, double minutes, string fields, string? messageId = null) => _driver.Message(type, minutes, fields, messageId);

    protected Task SendAsync(params string[] messages) => _driver.SendAsync(Src, messages);

    protected Task<long> ProcessAsync(int batchSize = 2000) => _driver.Worker(batchSize).CatchUpAsync(null, CancellationToken.None);

    protected async Task<ProfileView> ProfileAsync(string identifier) =>
        await _driver.ProfileOfAsync(Ws, identifier) ?? throw new Xunit.Sdk.XunitException($"No profile holds {identifier}.");

    [Fact]
    public async Task Anonymous_browsing_then_sign_up_gives_one_profile_with_the_whole_history()
    {
        await SendAsync(
            M("page", 0, """ "anonymousId":"a1","name":"Home" """),
            M("track", 1, """ "anonymousId":"a1","event":"Product Viewed","properties":{"sku":"S1"} """),
            M("identify", 2, """ "anonymousId":"a1","userId":"u1","traits":{"email":"Jane@Shop.DK","name":"Jane"} """),
            M("track", 3, """ "userId":"u1","event":"Order Completed" """));
        Assert.Equal(4, await ProcessAsync());

        var jane = await ProfileAsync("user_id:u1");
        Assert.Equal(["anonymous_id:a1", "email:jane@shop.dk", "user_id:u1"], jane.IdentifierTexts);
        Assert.Equal(["m0001", "m0002", "m0003", "m0004"], jane.MessageIds);
        Assert.Equal("\"Jane\"", jane.Trait("name"));
        Assert.Equal("\"Jane@Shop.DK\"", jane.Trait("email"));
        Assert.Equal((1, 2, 1), (jane.Count("page"), jane.Count("track"), jane.Count("identify")));
        Assert.Equal(1, jane.State.EventCounts["Order Completed"]);
        Assert.Equal((PipelineDriver.T0, PipelineDriver.T0.AddMinutes(3)), (jane.State.FirstSeen, jane.State.LastSeen));
        Assert.Equal(jane.Id, (await ProfileAsync("email:jane@shop.dk")).Id);
        var lineage = jane.State.Traits["name"]!;
        Assert.Equal((Src, "m0003", PipelineDriver.T0.AddMinutes(2)), (lineage.SourceId, lineage.MessageId, lineage.At));
    }

    [Fact]
    public async Task The_same_user_on_two_devices_is_merged_into_the_oldest_profile_and_the_old_id_still_leads_to_it()
    {
        await SendAsync(
            M("page", 0, """ "anonymousId":"laptop" """),
            M("page", 5, """ "anonymousId":"phone" """),
            M("identify", 6, """ "anonymousId":"phone","userId":"u1","traits":{"plan":"free"} """));
        await ProcessAsync();
        var phoneProfile = (await ProfileAsync("anonymous_id:phone")).Id;
        var laptopProfile = (await ProfileAsync("anonymous_id:laptop")).Id;
        Assert.NotEqual(phoneProfile, laptopProfile);

        await SendAsync(M("identify", 10, """ "anonymousId":"laptop","userId":"u1","traits":{"plan":"pro"} """));
        await ProcessAsync();

        var merged = await ProfileAsync("user_id:u1");
        Assert.Equal(laptopProfile, merged.Id); // the laptop's profile was created first
        Assert.Equal(["anonymous_id:laptop", "anonymous_id:phone", "user_id:u1"], merged.IdentifierTexts);
        Assert.Equal(4, merged.Events.Count);
        Assert.Equal("\"pro\"", merged.Trait("plan"));
        Assert.Equal(merged.Id, (await Driver.ViewAsync(Ws, phoneProfile))!.Id);
        var merge = Assert.Single(merged.History, h => h.Kind == "merge");
        Assert.Equal([phoneProfile], merge.MergedProfiles);
        Assert.Contains($"Merged {phoneProfile} into {laptopProfile}", merge.Explanation);
        Assert.Equal(1, await Store.Profiles.CountProfilesAsync(Ws, CancellationToken.None));
    }

    [Fact]
    public async Task Two_people_on_one_shared_computer_are_kept_apart_by_the_user_id_limit()
    {
        await SendAsync(
            M("identify", 0, """ "anonymousId":"family-pc","userId":"anna","traits":{"name":"Anna"} """),
            M("identify", 30, """ "anonymousId":"family-pc","userId":"bo","traits":{"name":"Bo"} """),
            M("page", 31, """ "anonymousId":"family-pc" """));
        await ProcessAsync();

        var anna = await ProfileAsync("user_id:anna");
        var bo = await ProfileAsync("user_id:bo");
        Assert.NotEqual(anna.Id, bo.Id);
        Assert.Equal(["anonymous_id:family-pc", "user_id:anna"], anna.IdentifierTexts);
        Assert.Equal(["user_id:bo"], bo.IdentifierTexts);
        Assert.Equal(("\"Anna\"", "\"Bo\""), (anna.Trait("name"), bo.Trait("name")));
        Assert.Equal(["m0001", "m0003"], anna.MessageIds); // logged-out browsing stays with the cookie's owner
        var refusal = Assert.Single(bo.History);
        Assert.Contains("no merge happened", refusal.Explanation);
    }

    [Fact]
    public async Task Blocked_values_never_merge_strangers()
    {
        await SendAsync(
            M("identify", 0, """ "userId":"u1","anonymousId":"undefined","traits":{"email":"test@test.com","phone":"0"} """),
            M("identify", 1, """ "userId":"u2","anonymousId":"undefined","traits":{"email":"test@test.com","phone":"0"} """),
            M("track", 2, """ "anonymousId":"null","event":"Viewed" """));
        await ProcessAsync();

        var u1 = await ProfileAsync("user_id:u1");
        var u2 = await ProfileAsync("user_id:u2");
        Assert.NotEqual(u1.Id, u2.Id);
        Assert.Equal(["user_id:u1"], u1.IdentifierTexts);
        Assert.Null(await Driver.ProfileOfAsync(Ws, "email:test@test.com"));
        Assert.Null(await Driver.ProfileOfAsync(Ws, "anonymous_id:undefined"));
        Assert.Equal(2, await Store.Profiles.CountProfilesAsync(Ws, CancellationToken.None)); // the event with only "null" joins no profile
    }

    [Fact]
    public async Task An_email_change_keeps_both_addresses_and_the_latest_as_the_trait()
    {
        await SendAsync(
            M("identify", 0, """ "userId":"u1","traits":{"email":"old@shop.dk"} """),
            M("identify", 60, """ "userId":"u1","traits":{"email":"new@shop.dk"} """));
        await ProcessAsync();
        // Mail sent to the old address still finds the person, e.g. an email tool's "opened" event.
        await SendAsync(M("track", 90, """ "anonymousId":"mail-click","event":"Email Opened","context":{"traits":{"email":"old@shop.dk"}} """));
        await ProcessAsync();

        var profile = await ProfileAsync("email:old@shop.dk");
        Assert.Equal(["anonymous_id:mail-click", "email:new@shop.dk", "email:old@shop.dk", "user_id:u1"], profile.IdentifierTexts);
        Assert.Equal("\"old@shop.dk\"", profile.Trait("email")); // context.traits of the latest event set it again
        Assert.Equal(3, profile.Events.Count);
    }

    [Fact]
    public async Task Late_events_never_overwrite_newer_traits_and_widen_first_seen()
    {
        await SendAsync(M("identify", 100, """ "userId":"u1","traits":{"plan":"pro","city":"Aarhus"} """));
        await ProcessAsync();
        await SendAsync(M("identify", 10, """ "userId":"u1","traits":{"plan":"free","age":40} """)); // sent late, happened earlier
        await ProcessAsync();

        var profile = await ProfileAsync("user_id:u1");
        Assert.Equal(("\"pro\"", "\"Aarhus\"", "40"), (profile.Trait("plan"), profile.Trait("city"), profile.Trait("age")));
        Assert.Equal((PipelineDriver.T0.AddMinutes(10), PipelineDriver.T0.AddMinutes(100)), (profile.State.FirstSeen, profile.State.LastSeen));
        Assert.Equal("m0001", profile.State.LastMessageId);
    }

    [Fact]
    public async Task Trait_merging_does_not_depend_on_the_order_events_arrive_in()
    {
        var messages = new[]
        {
            M("identify", 1, """ "userId":"u1","traits":{"plan":"a"} """, "x1"),
            M("identify", 3, """ "userId":"u1","traits":{"plan":"c"} """, "x3"),
            M("identify", 2, """ "userId":"u1","traits":{"plan":"b"} """, "x2"),
        };
        await SendAsync(messages[1]);
        await ProcessAsync();
        await SendAsync(messages[0], messages[2]);
        await ProcessAsync();
        Assert.Equal("\"c\"", (await ProfileAsync("user_id:u1")).Trait("plan"));
    }

    [Fact]
    public async Task Alias_links_a_previous_anonymous_id_to_the_user()
    {
        await SendAsync(
            M("track", 0, """ "anonymousId":"visitor-7","event":"Signed Up" """),
            M("identify", 1, """ "userId":"u7","traits":{"name":"Ida"} """),
            M("alias", 2, """ "previousId":"visitor-7","userId":"u7" """));
        await ProcessAsync();

        var ida = await ProfileAsync("user_id:u7");
        Assert.Equal(["anonymous_id:visitor-7", "user_id:u7"], ida.IdentifierTexts);
        Assert.Equal(3, ida.Events.Count);
        Assert.Equal(1, ida.Count("alias"));
    }

    [Fact]
    public async Task Group_links_the_person_to_an_account_whose_traits_stay_on_the_account()
    {
        await SendAsync(
            M("identify", 0, """ "userId":"u1","traits":{"name":"Jane"} """),
            M("group", 1, """ "userId":"u1","groupId":"acme","traits":{"name":"Acme Inc","employees":120} """),
            M("group", 2, """ "userId":"u1","groupId":"acme","traits":{"plan":"enterprise"} """));
        await ProcessAsync();

        var jane = await ProfileAsync("user_id:u1");
        Assert.Equal("\"Jane\"", jane.Trait("name"));
        Assert.Null(jane.Trait("employees"));
        var member = Assert.Single(jane.Accounts);
        Assert.Equal(("acme", PipelineDriver.T0.AddMinutes(1)), (member.GroupId, member.LinkedAt));
        var acme = await Store.Profiles.GetAccountAsync(Ws, "acme", CancellationToken.None);
        Assert.NotNull(acme);
        Assert.Equal(["employees", "name", "plan"], acme.Traits.Values.Select(t => t.Key).Order(StringComparer.Ordinal));
        Assert.Null(await Driver.ProfileOfAsync(Ws, "group_id:acme"));
    }

    [Fact]
    public async Task Custom_identifier_types_from_the_workspace_rules_link_profiles()
    {
        await Store.Profiles.SetIdentityRulesAsync(Ws, """{"types":[{"type":"crm_id","priority":2,"limit":1,"paths":["traits.crm_id","properties.crm"]}]}""", CancellationToken.None);
        await SendAsync(
            M("identify", 0, """ "anonymousId":"a1","traits":{"crm_id":"C-42"} """),
            M("track", 1, """ "anonymousId":"a2","event":"Invoice Paid","properties":{"crm":"C-42"} """));
        await ProcessAsync();

        var profile = await ProfileAsync("crm_id:C-42");
        Assert.Equal(["anonymous_id:a1", "anonymous_id:a2", "crm_id:C-42"], profile.IdentifierTexts);
    }

    [Fact]
    public async Task Workspaces_never_share_profiles()
    {
        await Driver.AddWorkspaceAsync("ws_other", "src_other");
        await SendAsync(M("identify", 0, """ "userId":"u1","traits":{"name":"Shop customer"} """));
        await Driver.SendAsync("src_other", M("identify", 1, """ "userId":"u1","traits":{"name":"Other customer"} """));
        await ProcessAsync();

        Assert.Equal("\"Shop customer\"", (await ProfileAsync("user_id:u1")).Trait("name"));
        var other = await Driver.ProfileOfAsync("ws_other", "user_id:u1");
        Assert.Equal("\"Other customer\"", other!.Trait("name"));
        Assert.Null(await Driver.ViewAsync("ws_other", (await ProfileAsync("user_id:u1")).Id));
    }

    [Fact]
    public async Task Unmerge_restores_exactly_what_the_events_without_the_cut_link_give()
    {
        // Two visitors typed the same shared mailbox into a newsletter form: a wrong merge.
        await SendAsync(
            M("identify", 0, """ "anonymousId":"anna-laptop","traits":{"email":"family@home.dk","name":"Anna"} """),
            M("track", 1, """ "anonymousId":"anna-laptop","event":"Product Viewed" """),
            M("identify", 5, """ "anonymousId":"bo-phone","traits":{"email":"family@home.dk","name":"Bo"} """),
            M("track", 6, """ "anonymousId":"bo-phone","event":"Order Completed" """),
            M("page", 7, """ "anonymousId":"anna-laptop" """));
        await ProcessAsync(batchSize: 2);
        var merged = await ProfileAsync("email:family@home.dk");
        Assert.Equal(5, merged.Events.Count);

        var worker = Driver.Worker();
        var outcome = await worker.UnmergeAsync(Ws, merged.Id, Identifier.Parse("email:family@home.dk"), CancellationToken.None);
        Assert.NotNull(outcome);
        Assert.False(outcome.NotHeld);
        Assert.Equal(2, outcome.Profiles.Count);

        var anna = await ProfileAsync("anonymous_id:anna-laptop");
        var bo = await ProfileAsync("anonymous_id:bo-phone");
        Assert.Equal(merged.Id, anna.Id); // the profile keeps its id: its first event created it again
        Assert.Equal(["m0001", "m0002", "m0005"], anna.MessageIds);
        Assert.Equal(["m0003", "m0004"], bo.MessageIds);
        Assert.Equal(("\"Anna\"", "\"Bo\""), (anna.Trait("name"), bo.Trait("name")));
        Assert.Null(await Driver.ProfileOfAsync(Ws, "email:family@home.dk"));
        Assert.Contains(anna.History, h => h.Kind == "unmerge");

        var afterUnmerge = await Driver.DumpAsync(Ws, withHistory: false);
        await worker.RebuildAsync(null, CancellationToken.None);
        Assert.Equal(afterUnmerge, await Driver.DumpAsync(Ws, withHistory: false));

        // New events with the cut address link nothing either.
        await SendAsync(M("identify", 20, """ "anonymousId":"bo-phone","traits":{"email":"family@home.dk"} """));
        await ProcessAsync();
        Assert.Null(await Driver.ProfileOfAsync(Ws, "email:family@home.dk"));
    }

    [Fact]
    public async Task A_worker_that_keeps_profiles_in_memory_forgets_them_when_another_instance_unmerges_one()
    {
        await SendAsync(
            M("identify", 0, """ "anonymousId":"anna-laptop","traits":{"email":"family@home.dk","name":"Anna"} """),
            M("identify", 5, """ "anonymousId":"bo-phone","traits":{"email":"family@home.dk","name":"Bo"} """));
        // Rebuilt by this worker, so it holds every profile in memory (and asks the store for nothing it does not know).
        var live = Driver.Worker();
        await live.RebuildAsync(null, CancellationToken.None);
        var merged = await ProfileAsync("email:family@home.dk");

        await using (var other = await _fixture.OpenAnotherAsync())
        {
            var outcome = await new PipelineWorker(other, Driver.Time).UnmergeAsync(Ws, merged.Id, Identifier.Parse("email:family@home.dk"), CancellationToken.None);
            Assert.Equal(2, outcome!.Profiles.Count);
        }

        await SendAsync(
            M("track", 10, """ "anonymousId":"anna-laptop","event":"Cart Viewed","context":{"traits":{"plan":"pro"}} """),
            M("track", 11, """ "anonymousId":"bo-phone","event":"Order Completed" """));
        await live.CatchUpAsync(null, CancellationToken.None);
        var afterLive = await Driver.DumpAsync(Ws, withHistory: false);
        Assert.NotEqual((await ProfileAsync("anonymous_id:anna-laptop")).Id, (await ProfileAsync("anonymous_id:bo-phone")).Id);

        await Driver.Worker().RebuildAsync(null, CancellationToken.None);
        Assert.Equal(await Driver.DumpAsync(Ws, withHistory: false), afterLive);
    }

    [Fact]
    public async Task Unmerge_answers_for_unknown_profiles_and_identifiers_the_profile_does_not_hold()
    {
        await SendAsync(M("identify", 0, """ "userId":"u1" """));
        await ProcessAsync();
        var worker = Driver.Worker();
        Assert.Null(await worker.UnmergeAsync(Ws, "prf_unknown", Identifier.Parse("user_id:u1"), CancellationToken.None));
        var profile = await ProfileAsync("user_id:u1");
        var outcome = await worker.UnmergeAsync(Ws, profile.Id, Identifier.Parse("user_id:u2"), CancellationToken.None);
        Assert.True(outcome!.NotHeld);
        Assert.Equal(["user_id:u1"], (await ProfileAsync("user_id:u1")).IdentifierTexts);
    }

    [Fact]
    public async Task A_change_set_whose_checkpoint_moved_underneath_applies_nothing()
    {
        await SendAsync(M("identify", 0, """ "userId":"u1" """), M("identify", 1, """ "userId":"u2" """));
        await ProcessAsync();
        var consumer = PipelinePartitions.ConsumerOf((await Store.Sources.ListWorkspacesAsync(CancellationToken.None)).Single(w => w.Id == Ws).Partition);
        var position = await Store.Profiles.GetCheckpointAsync(consumer, CancellationToken.None);
        Assert.True(position > 0);
        var stale = new ChangeSet { Checkpoints = { new CheckpointMove(consumer, position - 1, position + 5) } };
        stale.Events.Add(new EventLink((await ProfileAsync("user_id:u1")).Id, position + 5));
        await Assert.ThrowsAsync<CheckpointConflictException>(() => Store.ApplyAsync(stale, CancellationToken.None));

        Assert.Equal(position, await Store.Profiles.GetCheckpointAsync(consumer, CancellationToken.None));
        Assert.Single((await ProfileAsync("user_id:u1")).Events);
    }

    [Fact]
    public async Task Two_workers_on_one_log_apply_every_event_exactly_once()
    {
        for (var i = 0; i < 40; i++)
        {
            await SendAsync(M("track", i, $$""" "userId":"u{{i % 7}}","event":"Viewed" """));
        }

        var first = Driver.Worker(batchSize: 3);
        var second = Driver.Worker(batchSize: 5);
        await Task.WhenAll(Drain(first), Drain(second));

        var total = 0;
        for (var u = 0; u < 7; u++)
        {
            total += (await ProfileAsync($"user_id:u{u}")).Events.Count;
        }

        Assert.Equal(40, total);
        Assert.Equal(40, (await Driver.AllProfilesAsync(Ws)).Sum(p => p.Count("track")));

        static async Task Drain(PipelineWorker worker)
        {
            while (true)
            {
                try
                {
                    if (await worker.RunOnceAsync(CancellationToken.None) == 0)
                    {
                        return;
                    }
                }
                catch (CheckpointConflictException)
                {
                    // the other worker applied this batch first: read the checkpoint again
                }
            }
        }
    }

    [Fact]
    public async Task Resuming_after_a_restart_gives_the_same_profiles_as_one_uninterrupted_run()
    {
        var messages = Enumerable.Range(0, 30).Select(i => i % 3 == 0
            ? M("identify", i, $$""" "anonymousId":"a{{i % 4}}","userId":"u{{i % 5}}","traits":{"step":{{i}}} """)
            : M("track", i, $$""" "anonymousId":"a{{i % 4}}","event":"E{{i % 2}}" """)).ToArray();
        await SendAsync(messages);
        var worker = Driver.Worker(batchSize: 4);
        await worker.RunOnceAsync(CancellationToken.None);
        await worker.RunOnceAsync(CancellationToken.None);
        await _fixture.ReopenAsync();
        Driver.Store = Store;
        await ProcessAsync(batchSize: 7);
        var resumed = await DumpKnownAsync();
        await Driver.Worker().RebuildAsync(null, CancellationToken.None);
        Assert.Equal(resumed, await DumpKnownAsync());
        Assert.Equal(30, (await Driver.AllProfilesAsync(Ws)).Sum(p => p.Events.Count));

        async Task<string> DumpKnownAsync()
        {
            var text = new System.Text.StringBuilder();
            for (var u = 0; u < 5; u++)
            {
                text.AppendLine((await ProfileAsync($"user_id:u{u}")).Describe(withIds: true, withHistory: true));
            }

            return text.ToString();
        }
    }

    [Fact]
    public async Task Catching_up_commits_when_the_worker_holds_more_profiles_than_it_may_keep()
    {
        // Six people, one batch each; a progress report follows every commit. Three held is one too many: the commit
        // lets the cache go back to three quarters of its two (one profile), and the next two batches fill it again.
        await SendAsync([.. Enumerable.Range(0, 6).Select(i => M("identify", i, $$""" "userId":"u{{i}}" """))]);
        var commits = await CommitsAsync(cachedProfiles: 2);
        Assert.Equal([3L, 5, 6], commits);
        await Driver.Worker().RebuildAsync(null, CancellationToken.None);
        await SendAsync([.. Enumerable.Range(0, 6).Select(i => M("track", 10 + i, $$""" "userId":"u{{i % 2}}","event":"E" """))]);
        // The same two profiles again and again: held once each, so all six batches go in one commit.
        commits = await CommitsAsync(cachedProfiles: 2);
        Assert.Equal([6L], commits);

        async Task<long[]> CommitsAsync(int cachedProfiles)
        {
            var reports = new List<long>();
            await Driver.Worker(batchSize: 1, eventsPerCommit: 100, cachedProfiles: cachedProfiles)
                .CatchUpAsync(new Reports(reports), CancellationToken.None);
            return [.. reports.Distinct()];
        }
    }

    [Fact]
    public async Task A_long_timeline_merged_from_two_interleaved_ones_reads_back_in_log_order_page_by_page()
    {
        // One person's two devices, 300 events each, interleaved and processed over many commits; then she signs in on both.
        await SendAsync([.. Enumerable.Range(0, 600).Select(i => M("track", i, $$""" "anonymousId":"d{{i % 2}}","event":"E" """))]);
        await Driver.Worker(batchSize: 7, eventsPerCommit: 50).CatchUpAsync(null, CancellationToken.None);
        await SendAsync(M("identify", 700, """ "anonymousId":"d0","userId":"u" """), M("identify", 701, """ "anonymousId":"d1","userId":"u" """));
        await ProcessAsync();

        var person = await ProfileAsync("user_id:u");
        var read = new List<StoredEvent>();
        long? before = null;
        while (await Store.Profiles.GetEventsAsync(person.Id, before, 37, CancellationToken.None) is { Count: > 0 } page)
        {
            read.AddRange(page);
            before = page[^1].Sequence;
        }

        var log = await Store.Events.ReadAfterAsync(0, 1000, CancellationToken.None);
        Assert.Equal(log.Select(e => e.Sequence).Reverse(), read.Select(e => e.Sequence));
        Assert.Equal(log.Select(e => e.MessageId).Reverse(), read.Select(e => e.MessageId));
    }

    private sealed class Reports(List<long> reports) : IProgress<long>
    {
        public void Report(long value) => reports.Add(value);
    }
}
