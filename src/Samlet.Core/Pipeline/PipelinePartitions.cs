using Samlet.Storage;

namespace Samlet.Pipeline;

/// <summary>
/// The pipeline's work is split into a fixed number of partitions of the event log, each a set of whole workspaces
/// (ADR 11): a workspace's events go to the partition its store assigned when it was created, round robin, and each
/// partition has a checkpoint of its own. Profiles never span workspaces, so no merge crosses a partition, and each
/// partition's events are processed in log order by exactly one worker at a time.
/// </summary>
public static class PipelinePartitions
{
    /// <summary>How many partitions there are. Fixed: checkpoints and workspaces are keyed by partition number.</summary>
    public const int Count = 8;

    /// <summary>Every partition, for a worker that does all the work (one instance, a rebuild, the CLI).</summary>
    public static IReadOnlySet<int> All { get; } = Enumerable.Range(0, Count).ToHashSet();

    /// <summary>Every partition's checkpoint consumer name.</summary>
    public static IReadOnlyList<string> Consumers { get; } = [.. Enumerable.Range(0, Count).Select(ConsumerOf)];

    /// <summary>The checkpoint consumer of partition <paramref name="partition"/>.</summary>
    public static string ConsumerOf(int partition) => PipelineWorker.Consumer + "/" + partition;

    /// <summary>The name of the lease that gives an instance partition <paramref name="partition"/>'s work.</summary>
    public static string LeaseOf(int partition) => "pipeline-" + partition;

    /// <summary>
    /// The partitions an instance should hold when it ranks <paramref name="rank"/> among <paramref name="instances"/>
    /// live pipeline instances: every <paramref name="instances"/>-th, starting at its rank, so that workspaces, assigned
    /// round robin, spread evenly.
    /// </summary>
    public static IReadOnlySet<int> ShareOf(int rank, int instances) =>
        Enumerable.Range(0, Count).Where(p => p % instances == rank).ToHashSet();

    /// <summary>How far the pipeline has applied the events of <paramref name="workspaceId"/> (its partition's checkpoint; 0 for an unknown workspace).</summary>
    public static async Task<long> CheckpointOfAsync(ICdpStore store, string workspaceId, CancellationToken cancellationToken)
    {
        var workspace = (await store.Sources.ListWorkspacesAsync(cancellationToken)).FirstOrDefault(w => w.Id == workspaceId);
        return workspace is null ? 0 : await store.Profiles.GetCheckpointAsync(ConsumerOf(workspace.Partition), cancellationToken);
    }

    /// <summary>
    /// The lowest checkpoint of the partitions that hold workspaces (every event up to it has been applied); the end of
    /// the log when there are none. An empty partition's checkpoint stays where it was: nobody reads for it.
    /// </summary>
    public static async Task<long> LowestCheckpointAsync(ICdpStore store, CancellationToken cancellationToken)
    {
        var lowest = long.MaxValue;
        foreach (var partition in (await store.Sources.ListWorkspacesAsync(cancellationToken)).Select(w => w.Partition).Distinct())
        {
            lowest = Math.Min(lowest, await store.Profiles.GetCheckpointAsync(ConsumerOf(partition), cancellationToken));
        }

        return lowest == long.MaxValue ? await store.Events.LastSequenceAsync(cancellationToken) : lowest;
    }
}
