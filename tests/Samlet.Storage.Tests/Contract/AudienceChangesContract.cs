using System.Text;
using System.Text.Json;
using Samlet.Audiences;
using Samlet.Events;
using Samlet.Pipeline;
using Samlet.Sources;

namespace Samlet.Storage.Tests.Contract;

/// <summary>
/// The audience parts of <see cref="ICdpStore.ApplyAsync(Pipeline.ChangeSet, CancellationToken)"/>: membership entries and exits, what merges, unmerges and a
/// reset do to memberships, and the events the pipeline emits into the log with its change set. Enrolled per backend
/// as an empty subclass.
/// </summary>
public abstract class AudienceChangesContract<TFixture> : IAsyncLifetime
    where TFixture : StoreFixture, new()
{
    private const string Ws = "ws_a";
    private const string Consumer = "profiles";
    private static readonly DateTimeOffset _t0 = new(2026, 6, 1, 8, 0, 0, 250, TimeSpan.Zero);
    private readonly TFixture _fixture = new();

    private ICdpStore Store => _fixture.Store;

    private IAudienceStore Audiences => _fixture.Store.Audiences;

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    private static MembershipChange Enter(string audience, string profileId, int minute, string workspaceId = Ws) => new(workspaceId, audience, profileId, true, _t0.AddMinutes(minute));

    private static MembershipChange Exit(string audience, string profileId, int minute) => new(Ws, audience, profileId, false, _t0.AddMinutes(minute));

    private Task ApplyAsync(params MembershipChange[] changes)
    {
        var set = new ChangeSet();
        set.Memberships.AddRange(changes);
        return Store.ApplyAsync(set, CancellationToken.None);
    }

    private async Task<string[]> MembersAsync(string audience) =>
        [.. (await Audiences.GetMembersAsync(Ws, audience, null, 1000, CancellationToken.None)).Select(m => $"{m.ProfileId}@{(m.EnteredAt - _t0).TotalMinutes}")];

    private static CollectedEvent Emitted(string messageId, string profileId, int minute) => new(
        OwnSources.AudiencesOf(Ws), messageId, EventType.Track, "Audience Entered", profileId, null, _t0.AddMinutes(minute), _t0.AddMinutes(minute),
        Encoding.UTF8.GetBytes($$$"""{"type":"track","event":"Audience Entered","userId":"{{{profileId}}}","properties":{"audience_key":"vip"}}"""));

    [Fact]
    public async Task An_entry_keeps_the_first_time_and_an_exit_removes_the_membership_in_list_order()
    {
        await ApplyAsync(Enter("vip", "p1", 1), Enter("vip", "p2", 1), Enter("vip", "p1", 2));
        await ApplyAsync(Enter("vip", "p1", 3)); // already in: kept as it was
        Assert.Equal(["p1@1", "p2@1"], await MembersAsync("vip"));

        await ApplyAsync(Exit("vip", "p1", 4), Enter("vip", "p1", 5), Enter("vip", "p1", 6), Enter("vip", "p2", 7), Exit("vip", "p2", 8), Exit("vip", "p3", 8));
        Assert.Equal(["p1@5"], await MembersAsync("vip"));
        await ApplyAsync(Enter("vip", "p3", 9), Exit("vip", "p3", 9), Enter("churn", "p3", 9), Enter("vip", "p1", 10, "ws_other"));
        Assert.Equal(["p1@5"], await MembersAsync("vip"));
        Assert.Equal(["p3@9"], await MembersAsync("churn"));
        Assert.Equal(["vip"], (await Audiences.GetMembershipsAsync("ws_other", "p1", CancellationToken.None)).Select(m => m.AudienceKey));
    }

    [Fact]
    public async Task Members_page_by_profile_id_in_ordinal_order_and_are_counted_per_audience()
    {
        string[] ids = ["p_é", "p_B", "p_a", "p_10", "p_9", "p_Z"];
        await ApplyAsync([.. ids.Select((id, i) => Enter("vip", id, i)), Enter("churn", "p_a", 0), Enter("vip", "p_x", 0, "ws_other")]);

        var all = new List<AudienceMember>();
        for (var page = await Audiences.GetMembersAsync(Ws, "vip", null, 4, CancellationToken.None); page.Count > 0;
             page = await Audiences.GetMembersAsync(Ws, "vip", page[^1].ProfileId, 4, CancellationToken.None))
        {
            Assert.True(page.Count <= 4);
            all.AddRange(page);
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), all.Select(m => m.ProfileId));
        Assert.Equal(new AudienceMember(Ws, "vip", "p_é", _t0), all[^1]);
        Assert.Equal(new Dictionary<string, long> { ["vip"] = 6, ["churn"] = 1 }, await Audiences.CountMembersAsync(Ws, CancellationToken.None));
        Assert.Empty(await Audiences.CountMembersAsync("ws_none", CancellationToken.None));
        Assert.Equal(["churn@" + _t0.AddMinutes(0).ToString("O"), "vip@" + _t0.AddMinutes(2).ToString("O")],
            (await Audiences.GetMembershipsAsync(Ws, "p_a", CancellationToken.None)).Select(m => $"{m.AudienceKey}@{m.EnteredAt:O}"));
    }

    [Fact]
    public async Task A_merged_away_profile_loses_its_memberships_and_its_id_then_gives_the_survivors()
    {
        var before = new ChangeSet();
        before.Profiles.AddRange([AudienceStoreContract<TFixture>.Profile(Ws, "p_old"), AudienceStoreContract<TFixture>.Profile(Ws, "p_new")]);
        before.Memberships.AddRange([Enter("vip", "p_old", 1), Enter("vip", "p_new", 2), Enter("churn", "p_new", 2)]);
        await Store.ApplyAsync(before, CancellationToken.None);

        var merge = new ChangeSet();
        merge.Redirects.Add(new ProfileRedirect(Ws, "p_new", "p_old"));
        merge.Memberships.Add(Enter("new_customers", "p_old", 3)); // the pipeline's re-evaluation of the survivor
        await Store.ApplyAsync(merge, CancellationToken.None);

        Assert.Equal(["p_old@1"], await MembersAsync("vip"));
        Assert.Empty(await MembersAsync("churn"));
        var survivors = await Audiences.GetMembershipsAsync(Ws, "p_new", CancellationToken.None);
        Assert.Equal(["new_customers p_old", "vip p_old"], survivors.Select(m => $"{m.AudienceKey} {m.ProfileId}"));
        Assert.Empty(await Audiences.GetMembershipsAsync("ws_other", "p_new", CancellationToken.None));
    }

    [Fact]
    public async Task An_unmerged_profile_loses_its_memberships_and_a_reset_clears_all_but_keeps_definitions_and_backfills()
    {
        var changes = new ChangeSet();
        changes.Profiles.AddRange([AudienceStoreContract<TFixture>.Profile(Ws, "p1", _t0), AudienceStoreContract<TFixture>.Profile(Ws, "p2", _t0)]);
        changes.Memberships.AddRange([Enter("vip", "p1", 1), Enter("vip", "p2", 1)]);
        await Store.ApplyAsync(changes, CancellationToken.None);
        var unmerge = new ChangeSet();
        unmerge.Deleted.Add("p1");
        await Store.ApplyAsync(unmerge, CancellationToken.None);
        Assert.Equal(["p2@1"], await MembersAsync("vip"));

        var definition = await Audiences.PutDefinitionAsync(Ws, DefinitionKind.Audience, "vip", "{}", _t0, CancellationToken.None);
        var backfill = await Audiences.GetBackfillAsync(Ws, CancellationToken.None);
        await Store.Profiles.ResetAsync([Consumer], CancellationToken.None);

        Assert.Empty(await MembersAsync("vip"));
        Assert.Empty(await Audiences.CountMembersAsync(Ws, CancellationToken.None));
        Assert.Empty(await Audiences.DueForRecheckAsync(Ws, _t0.AddDays(1), 10, CancellationToken.None));
        Assert.Equal([definition], await Audiences.ListDefinitionsAsync(Ws, CancellationToken.None));
        Assert.Equal(1, await Audiences.GetDefinitionsVersionAsync(Ws, CancellationToken.None));
        Assert.Equal(backfill, await Audiences.GetBackfillAsync(Ws, CancellationToken.None));
    }

    [Fact]
    public async Task Deleting_an_audience_removes_its_memberships_and_nothing_else()
    {
        await Audiences.PutDefinitionAsync(Ws, DefinitionKind.Audience, "vip", "{}", _t0, CancellationToken.None);
        await Audiences.PutDefinitionAsync(Ws, DefinitionKind.ComputedTrait, "churn", "{}", _t0, CancellationToken.None);
        await ApplyAsync(Enter("vip", "p1", 1), Enter("churn", "p1", 1), Enter("vip", "p1", 1, "ws_other"));

        Assert.True(await Audiences.DeleteDefinitionAsync(Ws, DefinitionKind.ComputedTrait, "churn", _t0, CancellationToken.None)); // a trait: no members
        Assert.Equal(["p1@1"], await MembersAsync("churn"));
        Assert.True(await Audiences.DeleteDefinitionAsync(Ws, DefinitionKind.Audience, "vip", _t0, CancellationToken.None));
        Assert.Empty(await MembersAsync("vip"));
        Assert.Single(await Audiences.GetMembersAsync("ws_other", "vip", null, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Emitted_events_are_appended_to_the_log_once_even_when_emitted_again()
    {
        await Store.Events.AppendAsync([Emitted("ingested", "p0", 0)], [], CancellationToken.None);
        var first = new ChangeSet { Checkpoints = { new CheckpointMove(Consumer, 0, 1) } };
        first.Emitted.AddRange([Emitted("enter-p1", "p1", 1), Emitted("enter-p2", "p2", 1), Emitted("enter-p1", "p1", 2)]);
        await Store.ApplyAsync(first, CancellationToken.None);
        var again = new ChangeSet { Checkpoints = { new CheckpointMove(Consumer, 1, 2) } };
        again.Emitted.AddRange([Emitted("enter-p2", "p2", 3), Emitted("ingested", "p0", 3), Emitted("enter-p3", "p3", 3)]);
        await Store.ApplyAsync(again, CancellationToken.None);

        var log = await Store.Events.ReadAfterAsync(0, 100, CancellationToken.None);
        Assert.Equal(["ingested", "enter-p1", "enter-p2", "enter-p3"], log.Select(e => e.MessageId));
        var entered = log[1];
        Assert.Equal((OwnSources.AudiencesOf(Ws), EventType.Track, "Audience Entered", "p1", _t0.AddMinutes(1)), (entered.SourceId, entered.Type, entered.EventName, entered.UserId, entered.Timestamp));
        Assert.Equal("vip", JsonDocument.Parse(entered.Payload).RootElement.GetProperty("properties").GetProperty("audience_key").GetString());
    }

    [Fact]
    public async Task A_change_set_refused_for_its_checkpoint_appends_no_event_and_writes_no_membership_or_progress()
    {
        await Audiences.PutDefinitionAsync(Ws, DefinitionKind.Audience, "vip", "{}", _t0, CancellationToken.None);
        var backfill = await Audiences.GetBackfillAsync(Ws, CancellationToken.None);
        await Store.ApplyAsync(new ChangeSet { Checkpoints = { new CheckpointMove(Consumer, 0, 5) } }, CancellationToken.None);

        var stale = new ChangeSet { Checkpoints = { new CheckpointMove(Consumer, 0, 9) }, Backfill = backfill! with { Cursor = "p1", Done = 1 } };
        stale.Profiles.Add(AudienceStoreContract<TFixture>.Profile(Ws, "p1", _t0));
        stale.Memberships.Add(Enter("vip", "p1", 1));
        stale.Emitted.Add(Emitted("enter-p1", "p1", 1));
        await Assert.ThrowsAsync<CheckpointConflictException>(() => Store.ApplyAsync(stale, CancellationToken.None));

        Assert.Equal(0, await Store.Events.CountAsync(CancellationToken.None));
        Assert.Empty(await MembersAsync("vip"));
        Assert.Empty(await Audiences.DueForRecheckAsync(Ws, _t0, 10, CancellationToken.None));
        Assert.Equal(backfill, await Audiences.GetBackfillAsync(Ws, CancellationToken.None));

        // The same change set from the right position applies whole.
        await Store.ApplyAsync(new ChangeSet { Checkpoints = { stale.Checkpoints[0] with { Expected = 5 } }, Backfill = stale.Backfill, Memberships = { stale.Memberships[0] }, Emitted = { stale.Emitted[0] } }, CancellationToken.None);
        Assert.Equal(1, await Store.Events.CountAsync(CancellationToken.None));
        Assert.Equal(["p1@1"], await MembersAsync("vip"));
        Assert.Equal(stale.Backfill, await Audiences.GetBackfillAsync(Ws, CancellationToken.None));
    }
}
