using Samlet.Audiences;
using Samlet.Identity;
using Samlet.Pipeline;
using Samlet.Profiles;

namespace Samlet.Storage.Tests.Contract;

/// <summary>
/// <see cref="IAudienceStore"/>: definitions with their versions and the backfill every change restarts, and the reads
/// the scheduled passes need (profile ids, identities, due rechecks). The audience parts of a change set are in
/// <see cref="AudienceChangesContract{TFixture}"/>. Enrolled per backend as an empty subclass.
/// </summary>
public abstract class AudienceStoreContract<TFixture> : IAsyncLifetime
    where TFixture : StoreFixture, new()
{
    private const string Ws = "ws_a";
    private static readonly DateTimeOffset _t0 = new(2026, 6, 1, 8, 0, 0, 250, TimeSpan.Zero);
    private readonly TFixture _fixture = new();

    private ICdpStore Store => _fixture.Store;

    private IAudienceStore Audiences => _fixture.Store.Audiences;

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    internal static ProfileState Profile(string workspaceId, string id, DateTimeOffset? recheckAt = null) =>
        new(id, workspaceId, _t0) { UpdatedAt = _t0, RecheckAt = recheckAt };

    private async Task AddProfilesAsync(string workspaceId, params string[] ids)
    {
        var changes = new ChangeSet();
        changes.Profiles.AddRange(ids.Select(id => Profile(workspaceId, id)));
        await Store.ApplyAsync(changes, CancellationToken.None);
    }

    private Task<StoredDefinition> PutAsync(DefinitionKind kind, string key, string json, int minute) =>
        Audiences.PutDefinitionAsync(Ws, kind, key, json, _t0.AddMinutes(minute), CancellationToken.None);

    private Task<bool> DeleteAsync(DefinitionKind kind, string key, int minute) =>
        Audiences.DeleteDefinitionAsync(Ws, kind, key, _t0.AddMinutes(minute), CancellationToken.None);

    [Fact]
    public async Task Definitions_are_stored_replaced_and_deleted_and_every_change_bumps_the_workspace_version()
    {
        Assert.Equal(0, await Audiences.GetDefinitionsVersionAsync(Ws, CancellationToken.None));
        const string Json = """{ "key":"ltv", "aggregate": {"sum":"revenue"} }""";
        var first = await PutAsync(DefinitionKind.ComputedTrait, "ltv", Json, 1);
        Assert.Equal(new StoredDefinition(Ws, DefinitionKind.ComputedTrait, "ltv", Json, 1, _t0.AddMinutes(1)), first);
        await PutAsync(DefinitionKind.Audience, "ltv", """{"key":"ltv"}""", 2); // same key, other kind: another definition
        var replaced = await PutAsync(DefinitionKind.ComputedTrait, "ltv", """{"key":"ltv","v":2}""", 3);
        await Audiences.PutDefinitionAsync("ws_other", DefinitionKind.Audience, "vip", "{}", _t0, CancellationToken.None);

        Assert.Equal(3, replaced.Version);
        Assert.Equal(replaced, await Audiences.GetDefinitionAsync(Ws, DefinitionKind.ComputedTrait, "ltv", CancellationToken.None));
        Assert.Equal(["Audience ltv v2", "ComputedTrait ltv v3"],
            (await Audiences.ListDefinitionsAsync(Ws, CancellationToken.None)).Select(d => $"{d.Kind} {d.Key} v{d.Version}").Order(StringComparer.Ordinal));
        Assert.Equal(3, await Audiences.GetDefinitionsVersionAsync(Ws, CancellationToken.None));

        Assert.True(await DeleteAsync(DefinitionKind.ComputedTrait, "ltv", 4));
        Assert.False(await DeleteAsync(DefinitionKind.ComputedTrait, "ltv", 5)); // nothing to delete: no change, no bump
        Assert.Null(await Audiences.GetDefinitionAsync(Ws, DefinitionKind.ComputedTrait, "ltv", CancellationToken.None));
        Assert.Single(await Audiences.ListDefinitionsAsync(Ws, CancellationToken.None));
        Assert.Equal(4, await Audiences.GetDefinitionsVersionAsync(Ws, CancellationToken.None));
        Assert.Equal(1, await Audiences.GetDefinitionsVersionAsync("ws_other", CancellationToken.None));
        Assert.Null(await Audiences.GetDefinitionAsync("ws_none", DefinitionKind.Audience, "vip", CancellationToken.None));
    }

    [Fact]
    public async Task Every_definition_change_restarts_the_backfill_at_its_version_counting_the_live_profiles()
    {
        Assert.Null(await Audiences.GetBackfillAsync(Ws, CancellationToken.None));
        await AddProfilesAsync(Ws, "p1", "p2", "p3");
        await AddProfilesAsync("ws_other", "q1");
        await PutAsync(DefinitionKind.Audience, "vip", "{}", 1);
        Assert.Equal(new Backfill(Ws, 1, null, 0, 3, _t0.AddMinutes(1), null), await Audiences.GetBackfillAsync(Ws, CancellationToken.None));

        var progress = new ChangeSet { Backfill = new Backfill(Ws, 1, "p3", 3, 3, _t0.AddMinutes(1), _t0.AddMinutes(2)) };
        await Store.ApplyAsync(progress, CancellationToken.None);
        Assert.Equal(progress.Backfill, await Audiences.GetBackfillAsync(Ws, CancellationToken.None));

        var merge = new ChangeSet();
        merge.Redirects.Add(new ProfileRedirect(Ws, "p2", "p1"));
        await Store.ApplyAsync(merge, CancellationToken.None);
        Assert.True(await DeleteAsync(DefinitionKind.Audience, "vip", 3));
        Assert.Equal(new Backfill(Ws, 2, null, 0, 2, _t0.AddMinutes(3), null), await Audiences.GetBackfillAsync(Ws, CancellationToken.None));
        Assert.Null(await Audiences.GetBackfillAsync("ws_other", CancellationToken.None));
    }

    [Fact]
    public async Task Progress_of_a_backfill_at_an_older_version_is_ignored()
    {
        await AddProfilesAsync(Ws, "p1", "p2");
        await PutAsync(DefinitionKind.Audience, "vip", "{}", 1);
        await PutAsync(DefinitionKind.Audience, "churn", "{}", 2);

        var stale = new ChangeSet { Backfill = new Backfill(Ws, 1, "p2", 2, 2, _t0.AddMinutes(1), _t0.AddMinutes(3)) };
        await Store.ApplyAsync(stale, CancellationToken.None);
        Assert.Equal(new Backfill(Ws, 2, null, 0, 2, _t0.AddMinutes(2), null), await Audiences.GetBackfillAsync(Ws, CancellationToken.None));

        var current = new ChangeSet { Backfill = new Backfill(Ws, 2, "p1", 1, 2, _t0.AddMinutes(2), null) };
        await Store.ApplyAsync(current, CancellationToken.None);
        Assert.Equal(current.Backfill, await Audiences.GetBackfillAsync(Ws, CancellationToken.None));
        var unknown = new ChangeSet { Backfill = new Backfill("ws_none", 1, "x", 1, 1, _t0, null) };
        await Store.ApplyAsync(unknown, CancellationToken.None); // no row to move: nothing is created
        Assert.Null(await Audiences.GetBackfillAsync("ws_none", CancellationToken.None));
    }

    [Fact]
    public async Task Profile_ids_page_in_ordinal_order_within_their_workspace_and_leave_out_merged_away_ones()
    {
        string[] ids = ["p_é", "p_B", "p_a", "p_10", "p_9", "p_Z", "p_merged"];
        await AddProfilesAsync(Ws, ids);
        await AddProfilesAsync("ws_other", "p_0");
        var merge = new ChangeSet();
        merge.Redirects.Add(new ProfileRedirect(Ws, "p_merged", "p_a"));
        await Store.ApplyAsync(merge, CancellationToken.None);

        var all = new List<string>();
        for (var page = await Audiences.ListProfileIdsAsync(Ws, null, 2, CancellationToken.None); page.Count > 0;
             page = await Audiences.ListProfileIdsAsync(Ws, page[^1], 2, CancellationToken.None))
        {
            Assert.True(page.Count <= 2);
            all.AddRange(page);
        }

        Assert.Equal(ids.Where(id => id != "p_merged").Order(StringComparer.Ordinal), all);
        Assert.Equal(["p_B", "p_Z"], await Audiences.ListProfileIdsAsync(Ws, "p_9", 2, CancellationToken.None));
        Assert.Empty(await Audiences.ListProfileIdsAsync(Ws, "p_é", 2, CancellationToken.None));
    }

    [Fact]
    public async Task Identities_load_by_profile_id_as_they_load_by_identifier_from_profiles_the_pipeline_made()
    {
        var driver = new PipelineDriver(Store);
        await driver.AddWorkspaceAsync("ws_shop", "src_web");
        await driver.SendAsync("src_web",
            driver.Message("identify", 0, """ "anonymousId":"a1","userId":"u1","traits":{"email":"Jane@Shop.DK"} """),
            driver.Message("track", 1, """ "anonymousId":"a2","event":"Viewed" """),
            driver.Message("identify", 2, """ "userId":"u3" """));
        await driver.Worker().CatchUpAsync(null, CancellationToken.None);

        var ids = await Audiences.ListProfileIdsAsync("ws_shop", null, 100, CancellationToken.None);
        Assert.Equal(3, ids.Count);
        var byId = await Audiences.LoadIdentitiesOfAsync([ids[2], "prf_unknown", ids[0], ids[1]], CancellationToken.None);
        var byIdentifier = await Store.Profiles.LoadIdentitiesAsync("ws_shop",
            [Identifier.Parse("user_id:u1"), Identifier.Parse("anonymous_id:a2"), Identifier.Parse("user_id:u3")], CancellationToken.None);
        string Describe(ProfileIdentity p) => $"{p.Id} {p.CreatedAt:O} " + string.Join(",", p.Identifiers.Select(h => $"{h.Identifier}@{h.AddedAt:O}"));
        Assert.Equal(byIdentifier.Select(Describe).Order(StringComparer.Ordinal), byId.Select(Describe).Order(StringComparer.Ordinal));
        Assert.Equal(["anonymous_id:a1", "email:jane@shop.dk", "user_id:u1"], byId.Single(p => p.Identifiers.Length == 3).Identifiers.Select(h => h.Identifier.ToString()));
        Assert.Empty(await Audiences.LoadIdentitiesOfAsync([], CancellationToken.None));
    }

    [Fact]
    public async Task A_recheck_time_round_trips_and_due_profiles_come_earliest_first_within_their_workspace()
    {
        var changes = new ChangeSet();
        changes.Profiles.AddRange([
            Profile(Ws, "p_late", _t0.AddHours(3)), Profile(Ws, "p_b", _t0.AddHours(1)), Profile(Ws, "p_a", _t0.AddHours(1)),
            Profile(Ws, "p_early", _t0.AddMinutes(5)), Profile(Ws, "p_never"), Profile(Ws, "p_future", _t0.AddDays(2)),
            Profile("ws_other", "q_due", _t0)]);
        await Store.ApplyAsync(changes, CancellationToken.None);

        Assert.Equal(_t0.AddMinutes(5), (await Store.Profiles.GetProfileAsync(Ws, "p_early", CancellationToken.None))!.RecheckAt);
        Assert.Null((await Store.Profiles.LoadProfilesAsync(["p_never"], CancellationToken.None)).Single().RecheckAt);
        Assert.Equal([_t0.AddHours(3), null], (await Store.Profiles.LoadProfilesAsync(["p_late", "p_never"], CancellationToken.None)).Select(p => p.RecheckAt));

        var now = _t0.AddHours(3);
        Assert.Equal(["p_early", "p_a", "p_b", "p_late"], await Audiences.DueForRecheckAsync(Ws, now, 10, CancellationToken.None));
        Assert.Equal(["p_early", "p_a"], await Audiences.DueForRecheckAsync(Ws, now, 2, CancellationToken.None));
        Assert.Equal(["p_early"], await Audiences.DueForRecheckAsync(Ws, _t0.AddMinutes(5), 10, CancellationToken.None)); // "at or before"
        Assert.Equal(["q_due"], await Audiences.DueForRecheckAsync("ws_other", now, 10, CancellationToken.None));

        // Written with every profile write: a profile written again without one is no longer due.
        var recheck = new ChangeSet();
        recheck.Profiles.Add(Profile(Ws, "p_early"));
        await Store.ApplyAsync(recheck, CancellationToken.None);
        Assert.Equal(["p_a", "p_b", "p_late"], await Audiences.DueForRecheckAsync(Ws, now, 10, CancellationToken.None));
    }
}
