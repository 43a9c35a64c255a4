using System.Threading.Channels;
using Samlet.Events;
using Samlet.Storage;

namespace Samlet.Ingestion;

/// <summary>
/// Makes concurrent requests share one durable transaction: each request enqueues its events and awaits; one
/// writer loop takes everything queued, appends it in one transaction and completes every waiting request.
/// Under load a commit carries many requests, so the cost of the sync is shared; alone, a request commits at once.
/// When the store allows it (<see cref="IEventLog.ConcurrentAppends"/>), the next group is sent while the previous one
/// still commits, so the database is not idle during each commit's round trip (the store keeps them in order).
/// </summary>
public sealed class GroupCommitter : IAsyncDisposable
{
    private const int MaxEventsPerCommit = 20_000;
    private readonly IEventLog _log;
    private readonly EventLogSignal _signal;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly int _slotCount;
    private readonly SemaphoreSlim _slots;
    private readonly Task _writer;

    public GroupCommitter(IEventLog log, EventLogSignal signal)
    {
        _log = log;
        _signal = signal;
        _slotCount = Math.Max(1, log.ConcurrentAppends);
        _slots = new SemaphoreSlim(_slotCount, _slotCount);
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Completes when the events are durable, or throws when the store failed (the caller answers 503).</summary>
    public Task AppendAsync(IReadOnlyList<CollectedEvent> events, IReadOnlyList<RejectedEvent> rejected)
    {
        if (events.Count == 0 && rejected.Count == 0)
        {
            return Task.CompletedTask;
        }

        var pending = new Pending(events, rejected, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The event log is shutting down.");
        }

        return pending.Done.Task;
    }

    private async Task WriteLoopAsync()
    {
        // At start, not at the first request (10 M events of the last day took the SQLite store 20 s); requests queue meanwhile.
        try
        {
            await _log.WarmUpAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The first append loads it again, and fails with the store if it is down (503).
        }

        while (await _queue.Reader.WaitToReadAsync())
        {
            // A free slot first, then the queue: whatever arrived while the slots were busy goes into this group.
            await _slots.WaitAsync();
            var group = new List<Pending>();
            var events = new List<CollectedEvent>();
            var rejected = new List<RejectedEvent>();
            while (events.Count < MaxEventsPerCommit && _queue.Reader.TryRead(out var pending))
            {
                group.Add(pending);
                events.AddRange(pending.Events);
                rejected.AddRange(pending.Rejected);
            }

            _ = CommitAsync(group, events, rejected);
        }

        // Shutting down: wait for the groups still in flight.
        for (var i = 0; i < _slotCount; i++)
        {
            await _slots.WaitAsync();
        }
    }

    private async Task CommitAsync(List<Pending> group, List<CollectedEvent> events, List<RejectedEvent> rejected)
    {
        try
        {
            await _log.AppendAsync(events, rejected, CancellationToken.None);
            _signal.Pulse();
            foreach (var pending in group)
            {
                pending.Done.TrySetResult();
            }
        }
        catch (Exception e)
        {
            foreach (var pending in group)
            {
                pending.Done.TrySetException(e);
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
        _slots.Dispose();
    }

    private sealed record Pending(IReadOnlyList<CollectedEvent> Events, IReadOnlyList<RejectedEvent> Rejected, TaskCompletionSource Done);
}
