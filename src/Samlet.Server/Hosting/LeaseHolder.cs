using Samlet.Storage;

namespace Samlet.Server.Hosting;

/// <summary>
/// Keeps one named lease of the store for a hosted service: takes it when free, and checks a held one every few
/// seconds (a PostgreSQL lease dies with its connection). Of several instances, only the holder does the work.
/// </summary>
internal sealed partial class LeaseHolder(ICdpStore store, string name, TimeProvider time, ILogger logger) : IAsyncDisposable
{
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(2);

    private ILease? _lease;
    private long _checked;

    public bool IsHeld => Volatile.Read(ref _lease) is not null;

    /// <summary>Whether this instance holds the lease now (taking it if it is free).</summary>
    public async Task<bool> HoldAsync(CancellationToken cancellationToken)
    {
        if (_lease is null)
        {
            _lease = await store.TryLeaseAsync(name, cancellationToken);
            _checked = time.GetTimestamp();
            if (_lease is not null)
            {
                LogTaken(logger, name);
            }

            return _lease is not null;
        }

        if (time.GetElapsedTime(_checked) >= CheckEvery)
        {
            _checked = time.GetTimestamp();
            if (!await _lease.IsHeldAsync(cancellationToken))
            {
                LogLost(logger, name);
                var lost = Interlocked.Exchange(ref _lease, null);
                await lost!.DisposeAsync();
                return false;
            }
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _lease, null) is { } lease)
        {
            await lease.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This instance took the {Lease} lease and does its work")]
    private static partial void LogTaken(ILogger logger, string lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "This instance lost the {Lease} lease (its store connection broke); standing by")]
    private static partial void LogLost(ILogger logger, string lease);
}
