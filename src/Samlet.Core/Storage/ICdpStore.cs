namespace Samlet.Storage;

/// <summary>
/// The only seam between the engine and a database. Made of narrow parts named after what the pipeline needs;
/// SQLite and PostgreSQL implement it and pass one contract suite.
/// </summary>
public interface ICdpStore : IAsyncDisposable
{
    IEventLog Events { get; }

    ISourceStore Sources { get; }

    IProfileStore Profiles { get; }

    IAudienceStore Audiences { get; }

    IAnalyticsStore Analytics { get; }

    /// <summary>
    /// How many events' changes a catching-up pipeline commit holds by default (<c>PipelineWorker.EventsPerCommit</c>):
    /// what suits the store's way of writing (docs/pipeline.md has the measurements).
    /// </summary>
    int EventsPerCatchUpCommit { get; }

    /// <summary>Applies one batch's whole outcome in one transaction (DESIGN §1.3), or nothing (e.g. <see cref="Pipeline.CheckpointConflictException"/>).</summary>
    Task ApplyAsync(Pipeline.ChangeSet changes, CancellationToken cancellationToken) => ApplyAsync([changes], cancellationToken);

    /// <summary>Applies the outcomes of consecutive batches one after the other in one transaction, or nothing.</summary>
    Task ApplyAsync(IReadOnlyList<Pipeline.ChangeSet> changes, CancellationToken cancellationToken);

    /// <summary>Takes the lease <paramref name="name"/> if no one holds it (null otherwise).</summary>
    Task<ILease?> TryLeaseAsync(string name, CancellationToken cancellationToken);

    /// <summary>Applies the numbered migrations this store has not seen yet. Safe to call on every start.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>True when the store answers a trivial query (for <c>/readyz</c>).</summary>
    Task<bool> IsReachableAsync(CancellationToken cancellationToken);
}
