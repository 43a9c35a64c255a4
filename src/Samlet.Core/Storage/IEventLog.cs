using Samlet.Events;

namespace Samlet.Storage;

/// <summary>The durable, ordered, de-duplicated log of accepted events, and the log of rejected ones.</summary>
public interface IEventLog
{
    /// <summary>
    /// Appends in one transaction; when the task completes the events are durable. An event whose (source, messageId)
    /// the log already holds is skipped and counted as a duplicate: over the whole log for Samlet's own sources, and
    /// for outside sources over at least the last 24 hours of receivedAt (the embedded store remembers them in memory
    /// for 24–48 hours, ADR 13; PostgreSQL over the whole log).
    /// </summary>
    Task<AppendResult> AppendAsync(IReadOnlyList<CollectedEvent> events, IReadOnlyList<RejectedEvent> rejected, CancellationToken cancellationToken);

    /// <summary>
    /// From now on, this log instance skips every messageId of <paramref name="sourceId"/> that is anywhere in the log,
    /// however old: a bulk import run again months later adds nothing. Stores that de-duplicate over the whole log
    /// anyway have nothing to do.
    /// </summary>
    Task DeduplicateWholeHistoryAsync(string sourceId, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Loads what the first append would otherwise wait for (the embedded store: the last day's messageIds).</summary>
    Task WarmUpAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// How many appends a single writer (<see cref="Ingestion.GroupCommitter"/>) may have in flight at once. Above 1 the
    /// store serialises them itself and keeps log order = commit order, as for appends of several instances.
    /// </summary>
    int ConcurrentAppends => 1;

    /// <summary>Events newest first, filtered and paged (<see cref="EventQuery.Before"/> is the cursor).</summary>
    Task<IReadOnlyList<StoredEvent>> QueryAsync(EventQuery query, CancellationToken cancellationToken);

    /// <summary>Events in log order after a position: what the pipeline and live views read.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Events in log order after <paramref name="afterSequence"/> and up to <paramref name="throughSequence"/>, of the
    /// workspaces in the given pipeline partitions only: what a pipeline worker of one instance among several reads.
    /// </summary>
    Task<IReadOnlyList<StoredEvent>> ReadPartitionsAfterAsync(long afterSequence, long throughSequence, int limit, IReadOnlyCollection<int> partitions, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredRejectedEvent>> QueryRejectedAsync(RejectedQuery query, CancellationToken cancellationToken);

    Task<long> CountAsync(CancellationToken cancellationToken);

    /// <summary>The position of the newest event (0 for an empty log).</summary>
    Task<long> LastSequenceAsync(CancellationToken cancellationToken);
}
