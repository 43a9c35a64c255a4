using System.Text;
using System.Text.Json;
using Samlet.Events;
using Samlet.Ingestion;
using Samlet.Sources;

namespace Samlet.Storage.Tests.Contract;

/// <summary>What every store's event log must do. Enrolled per backend as an empty subclass.</summary>
public abstract class EventLogContract<TFixture> : IAsyncLifetime
    where TFixture : StoreFixture, new()
{
    private static readonly DateTimeOffset _t0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TFixture _fixture = new();
    private static readonly string[] _bothSources = ["src_a", "src_b"];

    private ICdpStore Store => _fixture.Store;

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    private static CollectedEvent Event(string messageId, string source = "src_a", EventType type = EventType.Track, string? name = "Viewed", string? user = "u1", string? anonymous = null, int minute = 0) =>
        new(source, messageId, type, name, user, anonymous, _t0.AddMinutes(minute), _t0.AddMinutes(minute + 1),
            Encoding.UTF8.GetBytes($$"""{"type":"{{type.ToWire()}}","messageId":"{{messageId}}"}"""));

    private Task<AppendResult> AppendAsync(params CollectedEvent[] events) => Store.Events.AppendAsync(events, [], CancellationToken.None);

    [Fact]
    public async Task Stores_events_in_append_order_with_increasing_sequence_numbers()
    {
        await AppendAsync(Event("m1"), Event("m2"));
        await AppendAsync(Event("m3"));
        var events = await Store.Events.ReadAfterAsync(0, 10, CancellationToken.None);
        Assert.Equal(["m1", "m2", "m3"], events.Select(e => e.MessageId));
        Assert.True(events[0].Sequence < events[1].Sequence && events[1].Sequence < events[2].Sequence);
        Assert.Equal(["m3"], (await Store.Events.ReadAfterAsync(events[1].Sequence, 10, CancellationToken.None)).Select(e => e.MessageId));
    }

    [Fact]
    public async Task Skips_a_messageId_already_in_the_log_of_the_same_source()
    {
        Assert.Equal(new AppendResult(2, 0, 0), await AppendAsync(Event("m1"), Event("m2")));
        Assert.Equal(new AppendResult(1, 2, 0), await AppendAsync(Event("m2"), Event("m1"), Event("m1", source: "src_b")));
        Assert.Equal(3, await Store.Events.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Stores_one_event_when_the_same_messageId_appears_twice_in_one_append()
    {
        var result = await AppendAsync(Event("dup", minute: 1), Event("dup", minute: 2));
        Assert.Equal(new AppendResult(1, 1, 0), result);
        var stored = Assert.Single(await Store.Events.ReadAfterAsync(0, 10, CancellationToken.None));
        Assert.Equal(_t0.AddMinutes(1), stored.Timestamp);
    }

    [Fact]
    public async Task Round_trips_every_field()
    {
        var e = Event("m1", type: EventType.Identify, name: null, user: null, anonymous: "anon-1", minute: 5);
        await AppendAsync(e);
        var stored = Assert.Single(await Store.Events.ReadAfterAsync(0, 10, CancellationToken.None));
        Assert.Equal((e.SourceId, e.MessageId, e.Type, e.EventName, e.UserId, e.AnonymousId, e.Timestamp, e.ReceivedAt), (stored.SourceId, stored.MessageId, stored.Type, stored.EventName, stored.UserId, stored.AnonymousId, stored.Timestamp, stored.ReceivedAt));
        // PostgreSQL keeps payloads as jsonb and gives them back re-formatted: the JSON is what must survive.
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(e.Payload).RootElement, JsonDocument.Parse(stored.Payload).RootElement));
    }

    [Fact]
    public async Task Filters_and_pages_events_newest_first()
    {
        await AppendAsync(
            Event("m1", minute: 1),
            Event("m2", user: "u2", minute: 2),
            Event("m3", type: EventType.Page, name: "Home", user: null, anonymous: "a1", minute: 3),
            Event("m4", source: "src_b", minute: 4),
            Event("m5", name: "Ordered", minute: 5));

        async Task<string[]> Ids(EventQuery q) => [.. (await Store.Events.QueryAsync(q, CancellationToken.None)).Select(e => e.MessageId)];
        Assert.Equal(["m5", "m4", "m3", "m2", "m1"], await Ids(new EventQuery(_bothSources)));
        Assert.Equal(["m4"], await Ids(new EventQuery(["src_b"])));
        Assert.Equal(["m3"], await Ids(new EventQuery(_bothSources, Type: EventType.Page)));
        Assert.Equal(["m5"], await Ids(new EventQuery(_bothSources, EventName: "Ordered")));
        Assert.Equal(["m2"], await Ids(new EventQuery(_bothSources, UserId: "u2")));
        Assert.Equal(["m3"], await Ids(new EventQuery(_bothSources, AnonymousId: "a1")));
        Assert.Equal(["m3", "m2"], await Ids(new EventQuery(_bothSources, From: _t0.AddMinutes(2), To: _t0.AddMinutes(4))));
        Assert.Empty(await Ids(new EventQuery([])));

        var first = await Store.Events.QueryAsync(new EventQuery(_bothSources, Limit: 2), CancellationToken.None);
        var second = await Store.Events.QueryAsync(new EventQuery(_bothSources, Before: first[^1].Sequence, Limit: 2), CancellationToken.None);
        var third = await Store.Events.QueryAsync(new EventQuery(_bothSources, Before: second[^1].Sequence, Limit: 2), CancellationToken.None);
        Assert.Equal(["m5", "m4", "m3", "m2", "m1"], first.Concat(second).Concat(third).Select(e => e.MessageId));
    }

    [Fact]
    public async Task Appends_a_bulk_batch_in_order_skipping_messageIds_already_in_the_log()
    {
        // 10,500 events: big enough for a store's bulk path (PostgreSQL: COPY), with 500 already stored and one repeat.
        await AppendAsync([.. Enumerable.Range(0, 500).Select(i => Event($"m{i}"))]);
        CollectedEvent[] bulk = [.. Enumerable.Range(0, 10_500).Select(i => Event($"m{i}", minute: i % 60)), Event("m2000")];
        Assert.Equal(new AppendResult(10_000, 501, 0), await AppendAsync(bulk));

        var all = new List<StoredEvent>();
        for (var page = await Store.Events.ReadAfterAsync(0, 4_000, CancellationToken.None); page.Count > 0; page = await Store.Events.ReadAfterAsync(page[^1].Sequence, 4_000, CancellationToken.None))
        {
            all.AddRange(page);
        }

        Assert.Equal(Enumerable.Range(0, 10_500).Select(i => $"m{i}"), all.Select(e => e.MessageId));
        Assert.Equal(_t0.AddMinutes(2_000 % 60), all[2_000].Timestamp);
    }

    [Fact]
    public async Task Stores_payloads_that_are_slices_of_a_shared_block_as_sliced()
    {
        // As the importer hands them over: each payload a slice of a pooled block, at an offset, beside its neighbours.
        using var payloads = new PayloadArena();
        CollectedEvent Sliced(int i) => Event($"m{i}") with
        {
            Payload = payloads.Copy(Encoding.UTF8.GetBytes($$"""{"type":"track","messageId":"m{{i}}","n":{{i}}}""")),
        };

        await AppendAsync([.. Enumerable.Range(0, 10).Select(Sliced)]); // a store's small path
        await AppendAsync([.. Enumerable.Range(10, 10_000).Select(Sliced)]); // and its bulk path (PostgreSQL: COPY)

        var stored = await Store.Events.ReadAfterAsync(0, 20_000, CancellationToken.None);
        Assert.Equal(10_010, stored.Count);
        Assert.All(stored.Select((e, i) => (e, i)), p =>
            Assert.Equal($$"""{"type":"track","messageId":"m{{p.i}}","n":{{p.i}}}""", Encoding.UTF8.GetString(p.e.Payload)));
    }

    [Fact]
    public async Task Keeps_log_order_and_time_filters_across_months_and_years()
    {
        var december = new DateTimeOffset(2026, 12, 31, 23, 59, 0, TimeSpan.Zero);
        CollectedEvent At(string id, DateTimeOffset time) => Event(id) with { Timestamp = time, ReceivedAt = time };
        await AppendAsync(At("dec", december), At("jan", december.AddMinutes(2)), At("mar", december.AddMonths(3)));
        await AppendAsync(At("late-nov", december.AddMonths(-1)));

        Assert.Equal(["dec", "jan", "mar", "late-nov"], (await Store.Events.ReadAfterAsync(0, 10, CancellationToken.None)).Select(e => e.MessageId));
        Assert.Equal(["jan"], (await Store.Events.QueryAsync(new EventQuery(["src_a"], From: december.AddMinutes(1), To: december.AddMonths(1)), CancellationToken.None)).Select(e => e.MessageId));
        Assert.Equal(new AppendResult(0, 1, 0), await AppendAsync(At("dec", december.AddHours(23)))); // a retry within the day
    }

    [Fact]
    public async Task Keeps_rejected_events_with_their_reason_in_the_same_append()
    {
        var rejected = new RejectedEvent("src_a", _t0, "A track event needs a non-empty \"event\" name.", Encoding.UTF8.GetBytes("{\"type\":\"track\"}"));
        var result = await Store.Events.AppendAsync([Event("m1")], [rejected, rejected with { SourceId = "src_b" }], CancellationToken.None);
        Assert.Equal(new AppendResult(1, 0, 2), result);
        var page = await Store.Events.QueryRejectedAsync(new RejectedQuery(["src_a"]), CancellationToken.None);
        var stored = Assert.Single(page);
        Assert.Equal((rejected.Reason, rejected.ReceivedAt), (stored.Reason, stored.ReceivedAt));
        Assert.Equal(rejected.Payload, stored.Payload);
        Assert.Equal(2, (await Store.Events.QueryRejectedAsync(new RejectedQuery(_bothSources), CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Keeps_events_and_deduplication_across_a_restart()
    {
        await AppendAsync(Event("m1"), Event("m2"));
        await _fixture.ReopenAsync();
        await Store.MigrateAsync(CancellationToken.None);
        Assert.Equal(new AppendResult(1, 1, 0), await AppendAsync(Event("m2"), Event("m3")));
        Assert.Equal(3, await Store.Events.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Creates_finds_updates_and_lists_sources_and_keys()
    {
        var workspace = new Workspace("ws_1", "Shop", _t0);
        await Store.Sources.CreateWorkspaceAsync(workspace, CancellationToken.None);
        var web = new Source("src_web", "ws_1", "Web", Secrets.Hash("wk_web"), true, _t0);
        await Store.Sources.CreateSourceAsync(web, CancellationToken.None);
        await Store.Sources.CreateSourceAsync(web with { Id = "src_app", Name = "App", WriteKeyHash = Secrets.Hash("wk_app"), CreatedAt = _t0.AddSeconds(1) }, CancellationToken.None);
        await Store.Sources.CreateApiKeyAsync(new ApiKey("key_1", "ws_1", "admin", Secrets.Hash("sk_1"), _t0), CancellationToken.None);

        Assert.Equal([workspace], await Store.Sources.ListWorkspacesAsync(CancellationToken.None));
        Assert.Equal(web, await Store.Sources.FindSourceByWriteKeyHashAsync(Secrets.Hash("wk_web"), CancellationToken.None));
        Assert.Null(await Store.Sources.FindSourceByWriteKeyHashAsync(Secrets.Hash("wk_nope"), CancellationToken.None));
        Assert.Equal(["src_web", "src_app"], (await Store.Sources.ListSourcesAsync("ws_1", CancellationToken.None)).Select(s => s.Id));

        var rotated = web with { Enabled = false, WriteKeyHash = Secrets.Hash("wk_new") };
        Assert.True(await Store.Sources.UpdateSourceAsync(rotated, CancellationToken.None));
        Assert.Null(await Store.Sources.FindSourceByWriteKeyHashAsync(Secrets.Hash("wk_web"), CancellationToken.None));
        Assert.Equal(rotated, await Store.Sources.GetSourceAsync("src_web", CancellationToken.None));
        Assert.False(await Store.Sources.UpdateSourceAsync(web with { Id = "src_missing" }, CancellationToken.None));
        Assert.Equal("ws_1", (await Store.Sources.FindApiKeyByHashAsync(Secrets.Hash("sk_1"), CancellationToken.None))!.WorkspaceId);
        await Store.Sources.CreateApiKeyAsync(new ApiKey("key_2", "ws_1", "ci", Secrets.Hash("sk_2"), _t0.AddSeconds(1)), CancellationToken.None);
        Assert.Equal(["key_1", "key_2"], (await Store.Sources.ListApiKeysAsync("ws_1", CancellationToken.None)).Select(k => k.Id));
        Assert.Empty(await Store.Sources.ListApiKeysAsync("ws_other", CancellationToken.None));
    }

    [Fact]
    public async Task Migrates_idempotently_and_answers_when_reachable()
    {
        await Store.MigrateAsync(CancellationToken.None);
        await Store.MigrateAsync(CancellationToken.None);
        Assert.True(await Store.IsReachableAsync(CancellationToken.None));
    }
}
