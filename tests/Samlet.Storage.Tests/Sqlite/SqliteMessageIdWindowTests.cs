using System.Text;
using Samlet.Events;
using Samlet.Sources;

namespace Samlet.Storage.Tests.Sqlite;

/// <summary>
/// The embedded store skips outside sources' retries by the messageIds of the last day, kept in memory (ADR 13): what
/// it remembers, across a restart, for how long, and what it remembers for good (own sources; a bulk import's source).
/// </summary>
public sealed class SqliteMessageIdWindowTests : IAsyncLifetime
{
    private static readonly DateTimeOffset _t0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly SqliteStoreFixture _fixture = new();

    private IEventLog Log => _fixture.Store.Events;

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    private static CollectedEvent Event(string messageId, double hours, string source = "src_a") =>
        new(source, messageId, EventType.Track, "Viewed", "u1", null, _t0.AddHours(hours), _t0.AddHours(hours),
            Encoding.UTF8.GetBytes($$"""{"type":"track","messageId":"{{messageId}}"}"""));

    private Task<AppendResult> AppendAsync(params CollectedEvent[] events) => Log.AppendAsync(events, [], CancellationToken.None);

    private static AppendResult Stored(int count) => new(count, 0, 0);

    private static readonly AppendResult _duplicate = new(0, 1, 0);

    [Fact]
    public async Task Remembers_a_messageId_for_at_least_a_day_across_a_restart_and_forgets_it_within_two()
    {
        Assert.Equal(Stored(1), await AppendAsync(Event("m1", 0)));
        await _fixture.ReopenAsync(); // the window is loaded from the log

        Assert.Equal(_duplicate, await AppendAsync(Event("m1", 23)));
        Assert.Equal(Stored(1), await AppendAsync(Event("x", 25))); // a new generation begins
        Assert.Equal(_duplicate, await AppendAsync(Event("m1", 30)));
        Assert.Equal(Stored(1), await AppendAsync(Event("y", 50))); // and another: m1's is gone
        Assert.Equal(Stored(1), await AppendAsync(Event("m1", 51)));
        Assert.Equal(_duplicate, await AppendAsync(Event("m1", 52)));
        Assert.Equal(new AppendResult(1, 0, 0), await AppendAsync(Event("m1", 52, source: "src_b")));
    }

    [Fact]
    public async Task A_warm_up_at_start_loads_what_the_first_append_checks_against()
    {
        await AppendAsync(Event("m1", 0));
        await _fixture.ReopenAsync();

        await Log.WarmUpAsync(CancellationToken.None);
        Assert.Equal(1, await Log.CountAsync(CancellationToken.None));
        Assert.Equal(_duplicate, await AppendAsync(Event("m1", 1)));
    }

    [Fact]
    public async Task A_restart_loads_the_last_day_of_the_log_only()
    {
        await AppendAsync(Event("old", 0), Event("recent", 20), Event("newest", 30));
        await _fixture.ReopenAsync();

        Assert.Equal(new AppendResult(1, 2, 0), await AppendAsync(Event("recent", 31), Event("newest", 31), Event("old", 31)));
    }

    [Fact]
    public async Task Own_sources_messageIds_are_skipped_however_old()
    {
        var own = OwnSources.AudiencesOf("ws_a");
        Assert.Equal(Stored(1), await AppendAsync(Event("enter-p1", 0, own)));
        Assert.Equal(Stored(2), await AppendAsync(Event("x", 100), Event("y", 200)));
        await _fixture.ReopenAsync();

        Assert.Equal(_duplicate, await AppendAsync(Event("enter-p1", 24 * 400, own)));
    }

    [Fact]
    public async Task A_source_deduplicated_over_its_whole_history_skips_messageIds_however_old()
    {
        await AppendAsync(Event("m1", 0), Event("m2", 0, source: "src_b"));
        await AppendAsync(Event("x", 100), Event("y", 200));
        await _fixture.ReopenAsync();

        await Log.DeduplicateWholeHistoryAsync("src_a", CancellationToken.None); // reads the window in the same pass
        Assert.Equal(new AppendResult(1, 2, 0), await AppendAsync(Event("m1", 201), Event("m2", 201, source: "src_b"), Event("y", 201)));
    }

    [Fact]
    public async Task A_source_deduplicated_over_its_whole_history_after_the_window_was_loaded()
    {
        await AppendAsync(Event("m1", 0), Event("m2", 0, source: "src_b"));
        await AppendAsync(Event("x", 100), Event("y", 200));
        await _fixture.ReopenAsync();
        await Log.WarmUpAsync(CancellationToken.None);

        await Log.DeduplicateWholeHistoryAsync("src_a", CancellationToken.None);
        Assert.Equal(new AppendResult(1, 2, 0), await AppendAsync(Event("m1", 201), Event("m2", 201, source: "src_b"), Event("y", 201)));
    }

    [Fact]
    public async Task An_append_that_fails_leaves_its_messageIds_unseen()
    {
        var broken = new RejectedEvent("src_a", _t0, null!, []); // a rejected event without a reason: the insert fails
        await Assert.ThrowsAnyAsync<Exception>(() => Log.AppendAsync([Event("m1", 0)], [broken], CancellationToken.None));

        Assert.Equal(Stored(1), await AppendAsync(Event("m1", 0)));
        Assert.Equal(1, await Log.CountAsync(CancellationToken.None));
    }
}
