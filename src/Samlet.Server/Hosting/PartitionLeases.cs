using Samlet.Pipeline;
using Samlet.Storage;

namespace Samlet.Server.Hosting;

/// <summary>
/// The pipeline partitions this instance works on (ADR 11). An instance joins by taking the lowest free member slot
/// (a lease <c>pipeline-member-K</c>); the live members, found by trying the other slots, rank in slot order, and the
/// instance of rank r among n holds every n-th partition from r (<see cref="PipelinePartitions.ShareOf"/>). It takes
/// its share's partition leases as they come free and gives up the others, so instances that start or die move
/// partitions within a few checks. A dead instance's leases die with its store connection (or process).
/// </summary>
internal sealed partial class PartitionLeases(ICdpStore store, ILogger logger) : IAsyncDisposable
{
    private readonly Dictionary<int, ILease> _held = [];
    private ILease? _member;
    private int _slot = -1;
    private IReadOnlySet<int> _partitions = new HashSet<int>();

    /// <summary>The partitions whose leases this instance holds.</summary>
    public IReadOnlySet<int> Held => Volatile.Read(ref _partitions);

    /// <summary>Brings the held partitions in line with this instance's share; returns them.</summary>
    public async Task<IReadOnlySet<int>> ReconcileAsync(CancellationToken cancellationToken)
    {
        if (_member is not null && !await _member.IsHeldAsync(cancellationToken))
        {
            // The store connection broke: every lease of this instance may have passed to another by now.
            LogLost(logger);
            await ReleaseAllAsync();
        }

        var members = await MembersAsync(cancellationToken);
        var share = _member is null ? new HashSet<int>() : PipelinePartitions.ShareOf(members.IndexOf(_slot), members.Count);
        foreach (var (partition, lease) in _held.ToList())
        {
            if (!share.Contains(partition) || !await lease.IsHeldAsync(cancellationToken))
            {
                _held.Remove(partition);
                await lease.DisposeAsync();
            }
        }

        foreach (var partition in share.Where(p => !_held.ContainsKey(p)))
        {
            if (await store.TryLeaseAsync(PipelinePartitions.LeaseOf(partition), cancellationToken) is { } lease)
            {
                _held[partition] = lease;
            }
        }

        var held = _held.Keys.ToHashSet();
        if (!held.SetEquals(Held))
        {
            LogHeld(logger, string.Join(",", held.Order()), members.Count);
        }

        Volatile.Write(ref _partitions, held);
        return held;
    }

    /// <summary>
    /// Takes every partition's lease, for a process that is the whole pipeline (the CLI without a server); null when
    /// any is held by another instance.
    /// </summary>
    public static async Task<IAsyncDisposable?> TakeAllAsync(ICdpStore store, CancellationToken cancellationToken)
    {
        var all = new Leases();
        foreach (var partition in PipelinePartitions.All)
        {
            if (await store.TryLeaseAsync(PipelinePartitions.LeaseOf(partition), cancellationToken) is not { } lease)
            {
                await all.DisposeAsync();
                return null;
            }

            all.Add(lease);
        }

        return all;
    }

    public ValueTask DisposeAsync() => ReleaseAllAsync();

    // The live members' slots in order, this instance's among them (taking a slot when it has none).
    private async Task<List<int>> MembersAsync(CancellationToken cancellationToken)
    {
        var members = new List<int>();
        for (var slot = 0; slot < PipelinePartitions.Count; slot++)
        {
            if (slot == _slot)
            {
                members.Add(slot);
                continue;
            }

            var lease = await store.TryLeaseAsync("pipeline-member-" + slot, cancellationToken);
            if (lease is null)
            {
                members.Add(slot); // another live instance holds it
            }
            else if (_member is null)
            {
                (_member, _slot) = (lease, slot);
                members.Add(slot);
            }
            else
            {
                await lease.DisposeAsync(); // a free slot: nobody there
            }
        }

        return members;
    }

    private async ValueTask ReleaseAllAsync()
    {
        foreach (var lease in _held.Values)
        {
            await lease.DisposeAsync();
        }

        _held.Clear();
        if (_member is not null)
        {
            await _member.DisposeAsync();
        }

        (_member, _slot) = (null, -1);
        Volatile.Write(ref _partitions, new HashSet<int>());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This instance now works on pipeline partitions [{Partitions}] ({Members} pipeline instances)")]
    private static partial void LogHeld(ILogger logger, string partitions, int members);

    [LoggerMessage(Level = LogLevel.Warning, Message = "This instance lost its pipeline leases (its store connection broke); joining again")]
    private static partial void LogLost(ILogger logger);

    private sealed class Leases : List<ILease>, IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var lease in this)
            {
                await lease.DisposeAsync();
            }
        }
    }
}
