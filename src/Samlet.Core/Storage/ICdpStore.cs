namespace Samlet.Storage;

/// <summary>
/// The only seam between the engine and a database. Made of narrow parts named after what the pipeline needs;
/// SQLite and PostgreSQL implement it and pass one contract suite.
/// </summary>
public interface ICdpStore : IAsyncDisposable
{
    IEventLog Events { get; }

    ISourceStore Sources { get; }

    /// <summary>Applies the numbered migrations this store has not seen yet. Safe to call on every start.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>True when the store answers a trivial query (for <c>/readyz</c>).</summary>
    Task<bool> IsReachableAsync(CancellationToken cancellationToken);
}
