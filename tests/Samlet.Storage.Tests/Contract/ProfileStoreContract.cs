using System.Text;
using System.Text.Json;
using Samlet.Events;
using Samlet.Identity;
using Samlet.Pipeline;
using Samlet.Profiles;

namespace Samlet.Storage.Tests.Contract;

/// <summary>
/// <see cref="ICdpStore.ApplyAsync(Pipeline.ChangeSet, CancellationToken)"/> and <see cref="IProfileStore"/> below the pipeline: hand-made change sets, read
/// back part by part (redirects, deletions, account links, search, reset). Enrolled per backend as an empty subclass.
/// Times are whole milliseconds (SQLite keeps milliseconds, PostgreSQL microseconds).
/// </summary>
public abstract class ProfileStoreContract<TFixture> : IAsyncLifetime
    where TFixture : StoreFixture, new()
{
    private const string Ws = "ws_a";
    private const string Consumer = "profiles";
    private static readonly DateTimeOffset _t0 = new(2026, 5, 4, 10, 0, 0, 123, TimeSpan.Zero);
    private readonly TFixture _fixture = new();

    private ICdpStore Store => _fixture.Store;

    private IProfileStore Profiles => _fixture.Store.Profiles;

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    private static ProfileState Profile(string id, int minute, params (string Key, string Json)[] traits)
    {
        var profile = new ProfileState(id, Ws, _t0.AddMinutes(minute)) { UpdatedAt = _t0.AddDays(1) };
        profile.See(_t0.AddMinutes(minute), "src_1", "m" + minute);
        profile.TypeCounts["identify"] = 1;
        foreach (var (key, json) in traits)
        {
            profile.Traits.Set(key, new TraitValue(json, _t0.AddMinutes(minute), "src_1", "m" + minute));
        }

        return profile;
    }

    private static ProfileIdentifier Held(string profileId, string identifier, int minute) =>
        new(Ws, profileId, Identifier.Parse(identifier), _t0.AddMinutes(minute));

    private static IdentityRecord Record(string profileId, long sequence, string kind, params string[] merged) =>
        new(profileId, sequence, "m" + sequence, _t0.AddMinutes(sequence), kind, merged, $"{kind} at {sequence}");

    private Task ApplyAsync(ChangeSet changes) => Store.ApplyAsync(changes, CancellationToken.None);

    /// <summary>Appends <paramref name="count"/> events and returns their log positions.</summary>
    private async Task<long[]> AppendEventsAsync(int count)
    {
        var events = Enumerable.Range(0, count).Select(i => new CollectedEvent(
            "src_1", $"e{i}", EventType.Track, "Viewed", "u1", null, _t0.AddMinutes(i), _t0.AddMinutes(i), Encoding.UTF8.GetBytes("""{"type":"track"}"""))).ToList();
        await Store.Events.AppendAsync(events, [], CancellationToken.None);
        return [.. (await Store.Events.ReadAfterAsync(0, 1000, CancellationToken.None)).Select(e => e.Sequence)];
    }

    private static void AssertSameJson(string expected, string actual) =>
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(expected).RootElement, JsonDocument.Parse(actual).RootElement), $"expected {expected}, got {actual}");

    [Fact]
    public async Task Reads_back_a_profile_with_traits_of_every_JSON_kind_as_the_same_values()
    {
        (string, string)[] traits =
        [
            ("name", "\"Jos\\u00e9 \\\"JJ\\\"\""), ("age", "41"), ("score", "1.50"), ("vip", "true"), ("gone", "null"),
            ("tags", "[ \"a\", 2, {\"b\":null} ]"), ("address", "{ \"zip\" : \"8000\", \"city\": \"Aarhus\" }"), ("emoji", "\"\U0001F600 \u00e6\u00f8\u00e5\""),
        ];
        var profile = Profile("prf_1", 0, traits);
        profile.EventCounts["Order Completed"] = 2;
        var changes = new ChangeSet();
        changes.Profiles.Add(profile);
        await ApplyAsync(changes);

        var read = (await Profiles.GetProfileAsync(Ws, "prf_1", CancellationToken.None))!;
        Assert.Equal((profile.CreatedAt, profile.FirstSeen, profile.LastSeen, profile.UpdatedAt), (read.CreatedAt, read.FirstSeen, read.LastSeen, read.UpdatedAt));
        Assert.Equal(("src_1", "m0"), (read.LastSourceId, read.LastMessageId));
        Assert.Equal(traits.Length, read.Traits.Count);
        foreach (var (key, json) in traits)
        {
            var value = read.Traits[key]!;
            AssertSameJson(json, value.Json); // a backend may reformat JSON (PostgreSQL's jsonb does): compare parsed values
            Assert.Equal((_t0, "src_1", "m0"), (value.At, value.SourceId, value.MessageId));
        }

        Assert.Equal((1L, 2L), (read.TypeCounts["identify"], read.EventCounts["Order Completed"]));
        Assert.Null(await Profiles.GetProfileAsync("ws_other", "prf_1", CancellationToken.None));
    }

    [Fact]
    public async Task Writing_a_profile_again_replaces_it_whole()
    {
        var first = new ChangeSet();
        first.Profiles.Add(Profile("prf_1", 0, ("plan", "\"free\""), ("city", "\"Aarhus\"")));
        await ApplyAsync(first);
        var second = new ChangeSet();
        second.Profiles.Add(Profile("prf_1", 5, ("plan", "\"pro\"")));
        await ApplyAsync(second);

        var read = (await Profiles.LoadProfilesAsync(["prf_1", "prf_unknown"], CancellationToken.None)).Single();
        Assert.Equal(["plan"], read.Traits.Values.Select(t => t.Key));
        Assert.Equal((_t0.AddMinutes(5), "m5"), (read.CreatedAt, read.LastMessageId));
        Assert.Equal(1, await Profiles.CountProfilesAsync(Ws, CancellationToken.None));
    }

    [Fact]
    public async Task Loads_the_profiles_holding_any_key_with_all_their_identifiers_in_the_order_added()
    {
        var changes = new ChangeSet();
        changes.Profiles.AddRange([Profile("prf_1", 0), Profile("prf_2", 1), Profile("prf_3", 2)]);
        changes.Identifiers.AddRange([
            Held("prf_1", "user_id:u1", 3), Held("prf_1", "anonymous_id:a1", 0), Held("prf_1", "email:x@y.dk", 3),
            Held("prf_2", "user_id:u2", 1), Held("prf_3", "user_id:u3", 2)]);
        await ApplyAsync(changes);

        var loaded = await Profiles.LoadIdentitiesAsync(Ws, [Identifier.Parse("email:x@y.dk"), Identifier.Parse("user_id:u2"), Identifier.Parse("user_id:nobody")], CancellationToken.None);

        Assert.Equal(["prf_1", "prf_2"], loaded.Select(p => p.Id).Order(StringComparer.Ordinal));
        var first = loaded.Single(p => p.Id == "prf_1");
        Assert.Equal(_t0, first.CreatedAt);
        Assert.Equal(["anonymous_id:a1", "email:x@y.dk", "user_id:u1"], first.Identifiers.Select(h => h.Identifier.ToString()));
        Assert.Equal(["anonymous_id:a1", "email:x@y.dk", "user_id:u1"], (await Profiles.GetIdentifiersAsync("prf_1", CancellationToken.None)).Select(h => h.Identifier.ToString()));
        Assert.Empty(await Profiles.LoadIdentitiesAsync("ws_other", [Identifier.Parse("user_id:u2")], CancellationToken.None));
    }

    [Fact]
    public async Task A_merged_away_profile_leads_to_its_survivor_which_holds_everything_it_had()
    {
        var positions = await AppendEventsAsync(4);
        var before = new ChangeSet();
        before.Profiles.AddRange([Profile("prf_old", 0), Profile("prf_new", 1)]);
        before.Identifiers.AddRange([Held("prf_old", "anonymous_id:laptop", 0), Held("prf_new", "anonymous_id:phone", 1)]);
        before.Events.AddRange([new EventLink("prf_old", positions[0]), new EventLink("prf_new", positions[1]), new EventLink("prf_new", positions[2])]);
        before.History.AddRange([Record("prf_old", 1, "create"), Record("prf_new", 2, "create")]);
        before.Members.AddRange([new AccountMember(Ws, "acme", "prf_old", _t0.AddMinutes(30)), new AccountMember(Ws, "acme", "prf_new", _t0.AddMinutes(10)), new AccountMember(Ws, "beta", "prf_new", _t0)]);
        await ApplyAsync(before);

        var merge = new ChangeSet();
        merge.Redirects.Add(new ProfileRedirect(Ws, "prf_new", "prf_old"));
        merge.Profiles.Add(Profile("prf_old", 0));
        merge.Identifiers.Add(Held("prf_old", "user_id:u1", 3));
        merge.Events.Add(new EventLink("prf_old", positions[3]));
        merge.History.Add(Record("prf_old", 3, "merge", "prf_new"));
        await ApplyAsync(merge);

        Assert.Equal("prf_old", (await Profiles.GetProfileAsync(Ws, "prf_new", CancellationToken.None))!.Id);
        Assert.Equal("prf_old", await Profiles.FindProfileIdAsync(Ws, Identifier.Parse("anonymous_id:phone"), CancellationToken.None));
        Assert.Empty(await Profiles.LoadProfilesAsync(["prf_new"], CancellationToken.None));
        Assert.Equal(["anonymous_id:laptop", "anonymous_id:phone", "user_id:u1"], (await Profiles.GetIdentifiersAsync("prf_old", CancellationToken.None)).Select(h => h.Identifier.ToString()));
        Assert.Equal(Enumerable.Reverse(positions), (await Profiles.GetEventsAsync("prf_old", null, 10, CancellationToken.None)).Select(e => e.Sequence));
        var history = await Profiles.GetHistoryAsync("prf_old", CancellationToken.None);
        Assert.Equal(["create", "create", "merge"], history.Select(h => h.Kind));
        Assert.Equal(["prf_new"], history[^1].MergedProfiles);
        Assert.Equal(_t0.AddMinutes(3), history[^1].At);
        // The earliest link to an account wins, from either side of the merge.
        Assert.Equal(["acme@" + _t0.AddMinutes(10).ToString("O"), "beta@" + _t0.ToString("O")],
            (await Profiles.GetAccountsOfAsync("prf_old", CancellationToken.None)).Select(m => $"{m.GroupId}@{m.LinkedAt:O}").Order(StringComparer.Ordinal));
        Assert.Empty(await Profiles.GetAccountsOfAsync("prf_new", CancellationToken.None));
        Assert.Equal(1, await Profiles.CountProfilesAsync(Ws, CancellationToken.None));

        // A later merge of the survivor moves the old redirect along: no chains.
        var again = new ChangeSet();
        again.Profiles.Add(Profile("prf_older", -5));
        again.Redirects.Add(new ProfileRedirect(Ws, "prf_old", "prf_older"));
        await ApplyAsync(again);
        Assert.Equal("prf_older", (await Profiles.GetProfileAsync(Ws, "prf_new", CancellationToken.None))!.Id);
        Assert.Equal(4, (await Profiles.GetEventsAsync("prf_older", null, 10, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Deleting_a_profile_removes_what_it_held_and_the_ids_that_led_to_it()
    {
        var positions = await AppendEventsAsync(2);
        var changes = new ChangeSet();
        changes.Profiles.AddRange([Profile("prf_1", 0), Profile("prf_2", 1)]);
        changes.Identifiers.AddRange([Held("prf_1", "user_id:u1", 0), Held("prf_2", "user_id:u2", 1)]);
        changes.Events.AddRange([new EventLink("prf_1", positions[0]), new EventLink("prf_2", positions[1])]);
        changes.History.Add(Record("prf_1", 1, "create"));
        changes.Members.Add(new AccountMember(Ws, "acme", "prf_1", _t0));
        await ApplyAsync(changes);
        var merge = new ChangeSet();
        merge.Redirects.Add(new ProfileRedirect(Ws, "prf_gone", "prf_1"));
        await ApplyAsync(merge);

        var unmerge = new ChangeSet();
        unmerge.Deleted.Add("prf_1");
        await ApplyAsync(unmerge);

        Assert.Null(await Profiles.GetProfileAsync(Ws, "prf_1", CancellationToken.None));
        Assert.Null(await Profiles.GetProfileAsync(Ws, "prf_gone", CancellationToken.None));
        Assert.Null(await Profiles.FindProfileIdAsync(Ws, Identifier.Parse("user_id:u1"), CancellationToken.None));
        Assert.Empty(await Profiles.GetEventsAsync("prf_1", null, 10, CancellationToken.None));
        Assert.Empty(await Profiles.GetHistoryAsync("prf_1", CancellationToken.None));
        Assert.Empty(await Profiles.GetAccountsOfAsync("prf_1", CancellationToken.None));
        Assert.Single(await Profiles.GetEventsAsync("prf_2", null, 10, CancellationToken.None));
        Assert.Equal(1, await Profiles.CountProfilesAsync(Ws, CancellationToken.None));
    }

    [Fact]
    public async Task Change_sets_applied_in_one_commit_leave_each_timeline_as_applying_them_one_by_one_would()
    {
        var p = await AppendEventsAsync(7);
        var first = new ChangeSet();
        first.Events.AddRange([new EventLink("prf_a", p[0]), new EventLink("prf_b", p[1]), new EventLink("prf_c", p[2])]);
        var merge = new ChangeSet();
        merge.Redirects.Add(new ProfileRedirect(Ws, "prf_a", "prf_b"));
        merge.Events.Add(new EventLink("prf_b", p[3]));
        var unmerge = new ChangeSet();
        unmerge.Deleted.Add("prf_c");
        unmerge.Events.Add(new EventLink("prf_d", p[4]));
        var replay = new ChangeSet();
        replay.Events.AddRange([new EventLink("prf_b", p[5]), new EventLink("prf_c", p[6])]);
        await Store.ApplyAsync([first, merge, unmerge, replay], CancellationToken.None);

        async Task<long[]> TimelineOf(string profileId) =>
            [.. (await Profiles.GetEventsAsync(profileId, null, 10, CancellationToken.None)).Select(e => e.Sequence)];
        Assert.Equal([p[5], p[3], p[1], p[0]], await TimelineOf("prf_b"));
        Assert.Equal([p[6]], await TimelineOf("prf_c"));
        Assert.Equal([p[4]], await TimelineOf("prf_d"));
    }

    [Fact]
    public async Task An_account_link_keeps_the_earliest_time_it_was_given()
    {
        var first = new ChangeSet();
        first.Members.AddRange([new AccountMember(Ws, "acme", "prf_1", _t0.AddMinutes(5)), new AccountMember(Ws, "acme", "prf_1", _t0.AddMinutes(2))]);
        await ApplyAsync(first);
        var later = new ChangeSet();
        later.Members.Add(new AccountMember(Ws, "acme", "prf_1", _t0.AddMinutes(9)));
        await ApplyAsync(later);

        var member = Assert.Single(await Profiles.GetAccountsOfAsync("prf_1", CancellationToken.None));
        Assert.Equal((Ws, "acme", _t0.AddMinutes(2)), (member.WorkspaceId, member.GroupId, member.LinkedAt));
    }

    [Fact]
    public async Task Accounts_are_written_whole_and_loaded_by_group_id()
    {
        var account = new AccountState(Ws, "acme");
        account.See(_t0);
        account.See(_t0.AddMinutes(7));
        account.Traits.Set("employees", new TraitValue("120", _t0, "src_1", "g1"));
        var changes = new ChangeSet();
        changes.Accounts.Add(account);
        await ApplyAsync(changes);

        var loaded = Assert.Single(await Profiles.LoadAccountsAsync(Ws, ["acme", "nobody"], CancellationToken.None));
        Assert.Equal(("acme", _t0, _t0.AddMinutes(7)), (loaded.GroupId, loaded.FirstSeen, loaded.LastSeen));
        Assert.Equal("120", loaded.Traits["employees"]!.Json);
        Assert.Null(await Profiles.GetAccountAsync("ws_other", "acme", CancellationToken.None));
    }

    [Fact]
    public async Task Pages_a_timeline_newest_first_before_a_log_position()
    {
        var positions = await AppendEventsAsync(5);
        var changes = new ChangeSet();
        changes.Events.AddRange(positions.Select(p => new EventLink("prf_1", p)));
        await ApplyAsync(changes);

        var page = await Profiles.GetEventsAsync("prf_1", null, 2, CancellationToken.None);
        Assert.Equal(["e4", "e3"], page.Select(e => e.MessageId));
        var next = await Profiles.GetEventsAsync("prf_1", page[^1].Sequence, 10, CancellationToken.None);
        Assert.Equal(["e2", "e1", "e0"], next.Select(e => e.MessageId));
        Assert.Equal(_t0.AddMinutes(2), next[0].Timestamp);
    }

    [Fact]
    public async Task Search_finds_identifier_value_prefixes_in_any_case_then_trait_values_containing_the_text()
    {
        var changes = new ChangeSet();
        changes.Profiles.AddRange([Profile("prf_1", 0), Profile("prf_2", 1, ("name", "\"Janet Olsen\"")), Profile("prf_3", 2, ("note", "\"50% off\"")), Profile("prf_4", 3, ("note", "\"500 kr\""))]);
        changes.Identifiers.AddRange([Held("prf_1", "email:jane@shop.dk", 0), Held("prf_1", "user_id:jane-1", 0), Held("prf_2", "user_id:JANE-2", 1)]);
        await ApplyAsync(changes);
        var other = new ChangeSet();
        other.Identifiers.Add(new ProfileIdentifier("ws_other", "prf_9", Identifier.Parse("email:jane@else.dk"), _t0));
        await ApplyAsync(other);

        Task<IReadOnlyList<string>> Search(string text, int limit = 10) => Profiles.SearchAsync(Ws, text, limit, CancellationToken.None);
        Assert.Equal(["prf_2", "prf_1"], await Search("JANE")); // as typed (user_id:JANE-2), then lower-cased (the e-mail)
        Assert.Equal(["prf_1"], await Search("jane@"));
        Assert.Equal(["prf_2"], await Search("olsen")); // a trait value, any ASCII case
        Assert.Equal(["prf_3"], await Search("50%")); // % and _ are literal
        Assert.Equal(["prf_2"], await Search("JANE", limit: 1));
        Assert.Empty(await Search("nobody"));
    }

    [Fact]
    public async Task Moves_the_checkpoint_only_from_where_it_is_and_applies_nothing_otherwise()
    {
        Assert.Equal(0, await Profiles.GetCheckpointAsync(Consumer, CancellationToken.None));
        var first = new ChangeSet { Checkpoints = { new CheckpointMove(Consumer, 0, 10) } };
        first.Profiles.Add(Profile("prf_1", 0));
        await ApplyAsync(first);

        var stale = new ChangeSet { Checkpoints = { new CheckpointMove(Consumer, 0, 20) } };
        stale.Profiles.Add(Profile("prf_2", 0));
        stale.Identifiers.Add(Held("prf_2", "user_id:u2", 0));
        stale.Redirects.Add(new ProfileRedirect(Ws, "prf_1", "prf_2"));
        await Assert.ThrowsAsync<CheckpointConflictException>(() => ApplyAsync(stale));

        Assert.Equal(10, await Profiles.GetCheckpointAsync(Consumer, CancellationToken.None));
        Assert.Equal("prf_1", (await Profiles.GetProfileAsync(Ws, "prf_1", CancellationToken.None))!.Id);
        Assert.Null(await Profiles.FindProfileIdAsync(Ws, Identifier.Parse("user_id:u2"), CancellationToken.None));
        Assert.Equal(0, await Profiles.GetCheckpointAsync("other consumer", CancellationToken.None));
    }

    [Fact]
    public async Task Of_two_change_sets_from_the_same_checkpoint_applied_at_once_one_applies_whole_and_the_other_not_at_all()
    {
        ChangeSet Batch(string profileId)
        {
            var changes = new ChangeSet { Checkpoints = { new CheckpointMove(Consumer, 0, 5) } };
            changes.Profiles.Add(Profile(profileId, 0));
            changes.Identifiers.Add(Held(profileId, "user_id:u1", 0)); // both claim the same identifier
            return changes;
        }

        var outcomes = await Task.WhenAll(new[] { "prf_a", "prf_b" }.Select(async id =>
        {
            try
            {
                await ApplyAsync(Batch(id));
                return "applied";
            }
            catch (CheckpointConflictException)
            {
                return "refused";
            }
        }));

        Assert.Equal(["applied", "refused"], outcomes.Order(StringComparer.Ordinal));
        Assert.Equal(1, await Profiles.CountProfilesAsync(Ws, CancellationToken.None));
        var winner = await Profiles.FindProfileIdAsync(Ws, Identifier.Parse("user_id:u1"), CancellationToken.None);
        Assert.Equal(winner, outcomes[0] == "applied" ? "prf_a" : "prf_b");
    }

    [Fact]
    public async Task Reset_removes_every_derived_row_and_keeps_cuts_and_rules()
    {
        var positions = await AppendEventsAsync(1);
        var changes = new ChangeSet { Checkpoints = { new CheckpointMove(Consumer, 0, positions[0]) } };
        changes.Profiles.Add(Profile("prf_1", 0));
        changes.Identifiers.Add(Held("prf_1", "user_id:u1", 0));
        changes.Events.Add(new EventLink("prf_1", positions[0]));
        changes.History.Add(Record("prf_1", positions[0], "create"));
        changes.Members.Add(new AccountMember(Ws, "acme", "prf_1", _t0));
        changes.Accounts.Add(new AccountState(Ws, "acme"));
        changes.Redirects.Add(new ProfileRedirect(Ws, "prf_0", "prf_1"));
        changes.Cuts.Add(new IdentityCut(Ws, Identifier.Parse("email:family@home.dk"), "prf_1", _t0.AddDays(2)));
        await ApplyAsync(changes);
        const string Rules = """{"types":[{"type":"crm_id","paths":["traits.crm"]}]}""";
        await Profiles.SetIdentityRulesAsync(Ws, Rules, CancellationToken.None);

        await Profiles.ResetAsync([Consumer], CancellationToken.None);

        Assert.Equal(0, await Profiles.GetCheckpointAsync(Consumer, CancellationToken.None));
        Assert.Equal(0, await Profiles.CountProfilesAsync(Ws, CancellationToken.None));
        Assert.Null(await Profiles.GetProfileAsync(Ws, "prf_0", CancellationToken.None));
        Assert.Null(await Profiles.FindProfileIdAsync(Ws, Identifier.Parse("user_id:u1"), CancellationToken.None));
        Assert.Empty(await Profiles.GetEventsAsync("prf_1", null, 10, CancellationToken.None));
        Assert.Empty(await Profiles.GetHistoryAsync("prf_1", CancellationToken.None));
        Assert.Empty(await Profiles.GetAccountsOfAsync("prf_1", CancellationToken.None));
        Assert.Null(await Profiles.GetAccountAsync(Ws, "acme", CancellationToken.None));
        var cut = Assert.Single(await Profiles.GetCutsAsync(Ws, CancellationToken.None));
        Assert.Equal((Identifier.Parse("email:family@home.dk"), "prf_1", _t0.AddDays(2)), (cut.Identifier, cut.ProfileId, cut.CutAt));
        Assert.Equal(Rules, await Profiles.GetIdentityRulesAsync(Ws, CancellationToken.None));
        Assert.Null(await Profiles.GetIdentityRulesAsync("ws_other", CancellationToken.None));
    }
}
