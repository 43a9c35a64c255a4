using System.Collections.Concurrent;
using Samlet.Audiences;
using Samlet.Pipeline;
using Samlet.Storage;

namespace Samlet.Server.Audiences;

/// <summary>
/// Size previews answered from an in-memory <see cref="AudienceSnapshot"/> per workspace. A snapshot made with other
/// definitions is replaced at once; one behind the pipeline is replaced once it is <c>freshFor</c> old, so that a
/// builder calling on every keystroke of a busy workspace does not reload it every time. While it loads, a small workspace
/// waits for the new one, a large one is answered from the previous (<c>asOf</c> says how old). A condition on a behavioural count that no saved
/// definition keeps is answered from the store instead (<see cref="AudiencePreview"/>, exact but slower).
/// </summary>
internal sealed class PreviewSnapshots(ICdpStore store, TimeProvider time, int waitBelow, TimeSpan freshFor)
{
    private readonly ConcurrentDictionary<string, Holder> _workspaces = new(StringComparer.Ordinal);

    public async Task<(PreviewResult Result, DateTimeOffset AsOf, string Source)> PreviewAsync(
        string workspaceId, WorkspaceDefinitions definitions, AudienceDefinition candidate, int sampleSize, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Counts nobody keeps, or kept but still being backfilled, are not in the profiles yet.
        var backfill = await store.Audiences.GetBackfillAsync(workspaceId, cancellationToken);
        if (backfill is { FinishedAt: null } || !definitions.Keeps(candidate.Condition))
        {
            var scanned = await new AudiencePreview(store).RunAsync(workspaceId, definitions, candidate, sampleSize, now, cancellationToken);
            return (scanned, now, "store");
        }

        var holder = _workspaces.GetOrAdd(workspaceId, _ => new Holder());
        var position = await PipelinePartitions.CheckpointOfAsync(store, workspaceId, cancellationToken);
        var snapshot = holder.Current;
        if (snapshot is null || snapshot.DefinitionsVersion != definitions.Version || (snapshot.Position != position && now - snapshot.LoadedAt >= freshFor))
        {
            var loading = holder.Reload(() => AudienceSnapshot.LoadAsync(store, workspaceId, definitions, time.GetUtcNow(), CancellationToken.None));
            if (snapshot is null || snapshot.DefinitionsVersion != definitions.Version || snapshot.Count < waitBelow)
            {
                snapshot = await loading.WaitAsync(cancellationToken);
            }
        }

        return (snapshot.Evaluate(candidate.Condition, now, sampleSize), snapshot.LoadedAt, "snapshot");
    }

    private sealed class Holder
    {
        private readonly Lock _lock = new();
        private Task<AudienceSnapshot>? _loading;

        public AudienceSnapshot? Current { get; private set; }

        /// <summary>The load in progress, or a new one: one at a time per workspace.</summary>
        public Task<AudienceSnapshot> Reload(Func<Task<AudienceSnapshot>> load)
        {
            lock (_lock)
            {
                if (_loading is null || _loading.IsCompleted)
                {
                    _loading = Task.Run(async () =>
                    {
                        var snapshot = await load();
                        Current = snapshot;
                        return snapshot;
                    });
                }

                return _loading;
            }
        }
    }
}
