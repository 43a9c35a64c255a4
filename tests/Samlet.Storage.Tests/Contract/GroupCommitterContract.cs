using System.Text;
using Samlet.Events;
using Samlet.Ingestion;

namespace Samlet.Storage.Tests.Contract;

/// <summary>Group commit over a real store: concurrent requests share transactions, and a store failure reaches every waiter.</summary>
public abstract class GroupCommitterContract<TFixture> : IAsyncLifetime
    where TFixture : StoreFixture, new()
{
    private static readonly DateTimeOffset _t0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TFixture _fixture = new();

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    private static CollectedEvent Event(string messageId) =>
        new("src_a", messageId, EventType.Track, "Viewed", "u1", null, _t0, _t0, Encoding.UTF8.GetBytes($$"""{"messageId":"{{messageId}}"}"""));

    [Fact]
    public async Task Stores_every_concurrent_request_with_its_events_contiguous_in_the_log()
    {
        var signal = new EventLogSignal();
        await using (var committer = new GroupCommitter(_fixture.Store.Events, signal))
        {
            var woken = signal.WaitAsync(TimeSpan.FromMinutes(1), TimeProvider.System, CancellationToken.None);
            var requests = Enumerable.Range(0, 64).Select(r => Task.Run(() =>
                committer.AppendAsync([.. Enumerable.Range(0, 10).Select(i => Event($"r{r}-e{i}"))], [])));
            await Task.WhenAll(requests);
            await woken;
        }

        var events = await _fixture.Store.Events.ReadAfterAsync(0, 1000, CancellationToken.None);
        Assert.Equal(640, events.Count);
        foreach (var request in events.GroupBy(e => e.MessageId.Split('-')[0]))
        {
            var sequences = request.Select(e => e.Sequence).Order().ToList();
            Assert.Equal(sequences[0] + 9, sequences[^1]);
            Assert.Equal(Enumerable.Range(0, 10).Select(i => $"{request.Key}-e{i}"), request.OrderBy(e => e.Sequence).Select(e => e.MessageId));
        }
    }

    [Fact]
    public async Task Fails_the_waiting_requests_when_the_store_cannot_write()
    {
        await using var committer = new GroupCommitter(_fixture.Store.Events, new EventLogSignal());
        await _fixture.Store.DisposeAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => committer.AppendAsync([Event("m1")], []));
        await _fixture.ReopenAsync();
        Assert.Equal(0, await _fixture.Store.Events.CountAsync(CancellationToken.None));
    }
}
