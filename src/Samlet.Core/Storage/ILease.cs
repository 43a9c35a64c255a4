namespace Samlet.Storage;

/// <summary>
/// Exclusive work held by one instance among those sharing a store (the pipeline worker's, for one). It ends when it
/// is disposed, or when its holder dies: another instance can then take it.
/// </summary>
public interface ILease : IAsyncDisposable
{
    /// <summary>Whether the lease is still held (false once the store lost the holder, e.g. its connection).</summary>
    Task<bool> IsHeldAsync(CancellationToken cancellationToken);
}
