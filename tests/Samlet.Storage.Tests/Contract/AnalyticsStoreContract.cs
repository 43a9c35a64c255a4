using Samlet.Events;
using Samlet.Sources;

namespace Samlet.Storage.Tests.Contract;

/// <summary>
/// <see cref="IAnalyticsStore"/>: the analytics job's settings and runs, and its scan of every profile's events, over
/// events that went through the real normaliser and pipeline (<see cref="PipelineDriver"/>). Enrolled per backend as
/// an empty subclass.
/// </summary>
public abstract class AnalyticsStoreContract<TFixture> : IAsyncLifetime
    where TFixture : StoreFixture, new()
{
    private const string Ws = "ws_shop";
    private const string Web = "src_web";
    private const string App = "src_app";
    private const string OrderCompleted = "Order Completed";
    private static readonly DateTimeOffset _t0 = new(2026, 6, 1, 8, 0, 0, 250, TimeSpan.Zero);
    private readonly TFixture _fixture = new();
    private PipelineDriver _driver = null!;

    private ICdpStore Store => _fixture.Store;

    private IAnalyticsStore Analytics => _fixture.Store.Analytics;

    public async Task InitializeAsync()
    {
        await _fixture.InitializeAsync();
        _driver = new PipelineDriver(Store);
        await _driver.AddWorkspaceAsync(Ws, Web);
        await Store.Sources.CreateSourceAsync(new Source(App, Ws, App, "hash-" + App, true, PipelineDriver.T0), CancellationToken.None);
        await _driver.AddWorkspaceAsync("ws_other", "src_other");
    }

    public Task DisposeAsync() => _fixture.DisposeAsync();

    private static AnalyticsRun Requested(string workspaceId, int minute, string trigger = "schedule") =>
        new(0, workspaceId, AnalyticsRunStatus.Requested, trigger, _t0.AddMinutes(minute));

    [Fact]
    public async Task Settings_are_null_until_put_and_then_replaced_per_workspace()
    {
        Assert.Null(await Analytics.GetSettingsAsync(Ws, CancellationToken.None));
        const string Json = """{ "schedule": "daily",  "horizonDays": 90 }""";
        await Analytics.PutSettingsAsync(Ws, Json, _t0, CancellationToken.None);
        Assert.Equal(Json, await Analytics.GetSettingsAsync(Ws, CancellationToken.None)); // exactly as given, spaces included
        Assert.Null(await Analytics.GetSettingsAsync("ws_other", CancellationToken.None));

        await Analytics.PutSettingsAsync(Ws, """{"schedule":"off"}""", _t0.AddMinutes(1), CancellationToken.None);
        await Analytics.PutSettingsAsync("ws_other", "{}", _t0, CancellationToken.None);
        Assert.Equal("""{"schedule":"off"}""", await Analytics.GetSettingsAsync(Ws, CancellationToken.None));
        Assert.Equal("{}", await Analytics.GetSettingsAsync("ws_other", CancellationToken.None));
    }

    [Fact]
    public async Task Runs_get_growing_ids_and_are_read_back_and_replaced_whole()
    {
        var first = await Analytics.CreateRunAsync(Requested(Ws, 0) with { Id = 999 }, CancellationToken.None);
        var other = await Analytics.CreateRunAsync(Requested("ws_other", 1), CancellationToken.None);
        var second = await Analytics.CreateRunAsync(Requested(Ws, 2, "api"), CancellationToken.None);
        Assert.True(first < other && other < second);
        Assert.NotEqual(999, first); // the given id is ignored

        Assert.Equal(Requested(Ws, 0) with { Id = first }, await Analytics.GetRunAsync(Ws, first, CancellationToken.None));
        Assert.Null(await Analytics.GetRunAsync(Ws, other, CancellationToken.None)); // another workspace's run
        Assert.Null(await Analytics.GetRunAsync(Ws, second + 1, CancellationToken.None));

        var running = Requested(Ws, 0) with { Id = first, Status = AnalyticsRunStatus.Running, StartedAt = _t0.AddMinutes(3), AsOf = _t0.AddMinutes(3), Position = 1234 };
        Assert.True(await Analytics.UpdateRunAsync(running, CancellationToken.None));
        Assert.Equal(running, await Analytics.GetRunAsync(Ws, first, CancellationToken.None));

        const string Report = """{"clv":{"customers":3,"fit":{"r":0.24}},"rfm":[1,2,3]}""";
        var done = running with { Status = AnalyticsRunStatus.Succeeded, FinishedAt = _t0.AddMinutes(4), Report = Report, ProfilesUpdated = 3 };
        Assert.True(await Analytics.UpdateRunAsync(done, CancellationToken.None));
        Assert.Equal(done, await Analytics.GetRunAsync(Ws, first, CancellationToken.None));

        var failed = Requested(Ws, 2, "api") with { Id = second, Status = AnalyticsRunStatus.Failed, FinishedAt = _t0.AddMinutes(5), Error = "Too few customers." };
        Assert.True(await Analytics.UpdateRunAsync(failed, CancellationToken.None));
        Assert.Equal(failed, await Analytics.GetRunAsync(Ws, second, CancellationToken.None));

        // Back to nothing: nullable fields are cleared too.
        Assert.True(await Analytics.UpdateRunAsync(Requested(Ws, 0) with { Id = first }, CancellationToken.None));
        Assert.Equal(Requested(Ws, 0) with { Id = first }, await Analytics.GetRunAsync(Ws, first, CancellationToken.None));

        Assert.False(await Analytics.UpdateRunAsync(Requested(Ws, 0) with { Id = second + 100 }, CancellationToken.None));
        Assert.False(await Analytics.UpdateRunAsync(Requested(Ws, 0) with { Id = other }, CancellationToken.None)); // not this workspace's
        Assert.Equal(Requested("ws_other", 1) with { Id = other }, await Analytics.GetRunAsync("ws_other", other, CancellationToken.None));
    }

    [Fact]
    public async Task Runs_are_listed_newest_first_in_pages_without_their_reports()
    {
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var id = await Analytics.CreateRunAsync(Requested(Ws, i), CancellationToken.None);
            ids.Add(id);
            await Analytics.UpdateRunAsync(Requested(Ws, i) with { Id = id, Status = AnalyticsRunStatus.Succeeded, Report = $$"""{"n":{{i}}}""", Error = i == 3 ? "partial" : null }, CancellationToken.None);
            await Analytics.CreateRunAsync(Requested("ws_other", i), CancellationToken.None);
        }

        var page = await Analytics.ListRunsAsync(Ws, null, 2, CancellationToken.None);
        Assert.Equal([ids[4], ids[3]], page.Select(r => r.Id));
        Assert.Equal(Requested(Ws, 3) with { Id = ids[3], Status = AnalyticsRunStatus.Succeeded, Error = "partial" }, page[1]);
        Assert.All(page, r => Assert.Null(r.Report));

        page = await Analytics.ListRunsAsync(Ws, page[^1].Id, 2, CancellationToken.None);
        Assert.Equal([ids[2], ids[1]], page.Select(r => r.Id));
        page = await Analytics.ListRunsAsync(Ws, page[^1].Id, 2, CancellationToken.None);
        Assert.Equal([ids[0]], page.Select(r => r.Id));
        Assert.Empty(await Analytics.ListRunsAsync(Ws, ids[0], 2, CancellationToken.None));
        Assert.All(await Analytics.ListRunsAsync("ws_other", null, 100, CancellationToken.None), r => Assert.Equal("ws_other", r.WorkspaceId));
        Assert.Empty(await Analytics.ListRunsAsync("ws_none", null, 100, CancellationToken.None));
    }

    [Fact]
    public async Task The_latest_run_is_the_newest_overall_or_of_a_status_with_its_report()
    {
        Assert.Null(await Analytics.GetLatestRunAsync(Ws, null, CancellationToken.None));
        var good = await Analytics.CreateRunAsync(Requested(Ws, 0) with { Status = AnalyticsRunStatus.Succeeded, Report = """{"ok":1}""" }, CancellationToken.None);
        var older = await Analytics.CreateRunAsync(Requested(Ws, 1) with { Status = AnalyticsRunStatus.Failed, Error = "boom" }, CancellationToken.None);
        var failed = await Analytics.CreateRunAsync(Requested(Ws, 2) with { Status = AnalyticsRunStatus.Failed, Error = "boom again" }, CancellationToken.None);
        var running = await Analytics.CreateRunAsync(Requested(Ws, 3) with { Status = AnalyticsRunStatus.Running }, CancellationToken.None);
        await Analytics.CreateRunAsync(Requested("ws_other", 4) with { Status = AnalyticsRunStatus.Succeeded }, CancellationToken.None);

        Assert.Equal(running, (await Analytics.GetLatestRunAsync(Ws, null, CancellationToken.None))?.Id);
        var succeeded = await Analytics.GetLatestRunAsync(Ws, AnalyticsRunStatus.Succeeded, CancellationToken.None);
        Assert.Equal(Requested(Ws, 0) with { Id = good, Status = AnalyticsRunStatus.Succeeded, Report = """{"ok":1}""" }, succeeded);
        Assert.Equal(failed, (await Analytics.GetLatestRunAsync(Ws, AnalyticsRunStatus.Failed, CancellationToken.None))?.Id);
        Assert.NotEqual(older, failed);
        Assert.Null(await Analytics.GetLatestRunAsync(Ws, AnalyticsRunStatus.Requested, CancellationToken.None));
        Assert.Null(await Analytics.GetLatestRunAsync("ws_none", null, CancellationToken.None));
    }

    /// <summary>
    /// Two devices of u1 (laptop, phone) merged into the laptop's profile across two batches, u2 on its own, an event of
    /// u1 from a second source of the workspace, and u1 in another workspace. Returns the survivor ids (u1, u2).
    /// </summary>
    private async Task<(string U1, string U2)> IngestAsync()
    {
        string M(string type, double minutes, string fields) => _driver.Message(type, minutes, fields);
        await _driver.SendAsync(Web,
            M("page", 0, """ "anonymousId":"laptop","name":"Home" """),                                   // m0001
            M("track", 1, """ "anonymousId":"phone","event":"Product Viewed","properties":{"sku":"S1"} """), // m0002
            M("track", 2, """ "userId":"u2","event":"Order Completed","properties":{"revenue":12.5} """),    // m0003
            M("identify", 3, """ "anonymousId":"phone","userId":"u1","traits":{"plan":"free"} """),        // m0004
            M("page", 4, """ "anonymousId":"laptop","name":"Order Completed" """));                       // m0005: a page of that name
        await _driver.Worker().CatchUpAsync(null, CancellationToken.None);
        var laptop = (await _driver.ProfileOfAsync(Ws, "anonymous_id:laptop"))!.Id;
        Assert.NotEqual(laptop, (await _driver.ProfileOfAsync(Ws, "user_id:u1"))!.Id);

        await _driver.SendAsync(Web,
            M("track", 5, """ "anonymousId":"laptop","event":"Order Completed","properties":{"revenue":30} """), // m0006
            M("identify", 6, """ "anonymousId":"laptop","userId":"u1","traits":{"plan":"pro"} """),             // m0007: the merge
            M("track", 7, """ "userId":"u2","event":"Product Viewed" """));                                    // m0008
        await _driver.SendAsync(App, M("track", 8, """ "userId":"u1","event":"Order Completed" """));           // m0009
        await _driver.SendAsync("src_other", M("track", 9, """ "userId":"u1","event":"Order Completed" """));   // m0010
        await _driver.Worker().CatchUpAsync(null, CancellationToken.None);

        var u1 = (await _driver.ProfileOfAsync(Ws, "user_id:u1"))!.Id;
        Assert.Equal(laptop, u1); // the laptop's profile is older: it survives
        return (u1, (await _driver.ProfileOfAsync(Ws, "user_id:u2"))!.Id);
    }

    private async Task<List<ProfileEvent>> ScanAsync(ProfileEventScan scan, CancellationToken cancellationToken = default)
    {
        var events = new List<ProfileEvent>();
        await foreach (var e in Analytics.ScanProfileEventsAsync(scan, cancellationToken))
        {
            events.Add(e);
        }

        return events;
    }

    private async Task<Dictionary<long, StoredEvent>> LogAsync() =>
        (await Store.Events.ReadAfterAsync(0, 1000, CancellationToken.None)).ToDictionary(e => e.Sequence);

    /// <summary>The scan as "profile: messageIds", checking that each profile's events form one run, in log order.</summary>
    private static List<string> Grouped(List<ProfileEvent> scanned, Dictionary<long, StoredEvent> log)
    {
        var groups = new List<string>();
        var profiles = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < scanned.Count;)
        {
            var profile = scanned[i].ProfileId;
            Assert.True(profiles.Add(profile), $"The events of {profile} come in more than one run.");
            var run = scanned.Skip(i).TakeWhile(e => e.ProfileId == profile).ToList();
            Assert.True(run.Zip(run.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence), $"The events of {profile} are not in log order.");
            groups.Add(profile + ": " + string.Join(" ", run.Select(e => log[e.Sequence].MessageId)));
            i += run.Count;
        }

        return groups;
    }

    // The order of the profiles is the store's.
    private static List<string> Sorted(params string[] groups) => [.. groups.Order(StringComparer.Ordinal)];

    [Fact]
    public async Task The_scan_gives_each_live_profile_its_events_in_one_run_in_log_order_with_the_payloads_asked_for()
    {
        var (u1, u2) = await IngestAsync();
        var log = await LogAsync();

        var scanned = await ScanAsync(new ProfileEventScan([Web], [OrderCompleted], [EventType.Identify]));
        Assert.Equal(Sorted($"{u1}: m0001 m0002 m0004 m0005 m0006 m0007", $"{u2}: m0003 m0008"), Sorted([.. Grouped(scanned, log)]));
        foreach (var e in scanned)
        {
            var stored = log[e.Sequence];
            Assert.Equal((stored.Type, stored.EventName, stored.Timestamp), (e.Type, e.EventName, e.Timestamp));
            var wanted = (e.Type == EventType.Track && e.EventName == OrderCompleted) || e.Type == EventType.Identify;
            Assert.True(wanted ? e.Payload.Span.SequenceEqual(stored.Payload) : e.Payload.IsEmpty, $"{stored.MessageId}: payload {(wanted ? "missing" : "not asked for")}");
        }

        Assert.Equal(["m0003", "m0004", "m0006", "m0007"], scanned.Where(e => !e.Payload.IsEmpty).Select(e => log[e.Sequence].MessageId).Order(StringComparer.Ordinal));
        Assert.Equal(PipelineDriver.T0.AddMinutes(4), scanned.Single(e => log[e.Sequence].MessageId == "m0005").Timestamp);
        Assert.Equal(EventType.Page, scanned.Single(e => log[e.Sequence].MessageId == "m0005").Type);

        var withPages = await ScanAsync(new ProfileEventScan([Web], [], [EventType.Page, EventType.Screen]));
        Assert.Equal(["m0001", "m0005"], withPages.Where(e => !e.Payload.IsEmpty).Select(e => log[e.Sequence].MessageId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_scan_reads_only_the_sources_asked_for()
    {
        var (u1, u2) = await IngestAsync();
        var log = await LogAsync();

        var both = await ScanAsync(new ProfileEventScan([App, Web], [], []));
        Assert.Equal(Sorted($"{u1}: m0001 m0002 m0004 m0005 m0006 m0007 m0009", $"{u2}: m0003 m0008"), Sorted([.. Grouped(both, log)]));
        Assert.All(both, e => Assert.True(e.Payload.IsEmpty));

        var app = await ScanAsync(new ProfileEventScan([App], [OrderCompleted], []));
        Assert.Equal([$"{u1}: m0009"], Grouped(app, log));
        Assert.False(app[0].Payload.IsEmpty);

        var other = await ScanAsync(new ProfileEventScan(["src_other"], [], []));
        Assert.Equal(["m0010"], other.Select(e => log[e.Sequence].MessageId));
        Assert.NotEqual(u1, other[0].ProfileId); // u1 of the other workspace is another profile

        Assert.Empty(await ScanAsync(new ProfileEventScan([], [OrderCompleted], [EventType.Track])));
        Assert.Empty(await ScanAsync(new ProfileEventScan(["src_none"], [], [])));
    }

    [Fact]
    public async Task The_scan_stops_when_cancelled()
    {
        await IngestAsync();
        var scan = new ProfileEventScan([Web], [OrderCompleted], []);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ScanAsync(scan, cancelled.Token));

        // Cancelled part-way, through WithCancellation (the enumerator's token).
        using var midway = new CancellationTokenSource();
        var read = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var e in Analytics.ScanProfileEventsAsync(scan, CancellationToken.None).WithCancellation(midway.Token))
            {
                if (++read == 2)
                {
                    await midway.CancelAsync();
                }
            }
        });
        Assert.Equal(2, read);
        Assert.Equal(8, (await ScanAsync(scan)).Count); // the store still answers
    }
}
