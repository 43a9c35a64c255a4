using System.Collections.Concurrent;
using System.Diagnostics;
using Samlet.Pipeline;
using Samlet.Storage;

namespace Samlet.Benchmarks.Audiences;

/// <summary>The store, noting when a change set that makes a profile enter <see cref="AudienceKey"/> has committed (a <see cref="Stopwatch"/> timestamp).</summary>
internal sealed class WatchedStore(ICdpStore inner, string audienceKey) : ICdpStore
{
    public string AudienceKey => audienceKey;

    public ConcurrentDictionary<string, long> Entered { get; } = new(StringComparer.Ordinal);

    public IEventLog Events => inner.Events;

    public ISourceStore Sources => inner.Sources;

    public IProfileStore Profiles => inner.Profiles;

    public IAudienceStore Audiences => inner.Audiences;

    public IAnalyticsStore Analytics => inner.Analytics;

    public int EventsPerCatchUpCommit => inner.EventsPerCatchUpCommit;

    public async Task ApplyAsync(IReadOnlyList<ChangeSet> changes, CancellationToken cancellationToken)
    {
        await inner.ApplyAsync(changes, cancellationToken);
        var at = Stopwatch.GetTimestamp();
        foreach (var change in changes.SelectMany(c => c.Memberships))
        {
            if (change.Entered && change.AudienceKey == audienceKey)
            {
                Entered.TryAdd(change.ProfileId, at);
            }
        }
    }

    public Task<ILease?> TryLeaseAsync(string name, CancellationToken cancellationToken) => inner.TryLeaseAsync(name, cancellationToken);

    public Task MigrateAsync(CancellationToken cancellationToken) => inner.MigrateAsync(cancellationToken);

    public Task<bool> IsReachableAsync(CancellationToken cancellationToken) => inner.IsReachableAsync(cancellationToken);

    // The inner store is disposed by whoever opened it.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
