using System.Collections.Concurrent;
using Samlet.Audiences;
using Samlet.Sources;

namespace Samlet.Pipeline;

/// <summary>
/// The audience stage's work outside live batches: the scheduled re-check of profiles whose rolling windows moved, and
/// the backfill that re-derives every profile after a workspace's definitions changed. Each step is one change set
/// pinned to the checkpoint, like an unmerge, so it cannot interleave with a batch of another instance.
/// </summary>
public sealed partial class PipelineWorker
{
    private readonly ConcurrentDictionary<string, WorkspaceDefinitions> _definitions = new(StringComparer.Ordinal);
    // A rebuild re-derives memberships that were announced before: it announces only what events after this position change.
    private long _silentThrough;

    /// <summary>Profiles per re-check or backfill step.</summary>
    public int ProfileStepSize { get; init; } = 500;

    /// <summary>Re-evaluates the profiles of every workspace whose re-check time has come; returns how many it re-evaluated.</summary>
    public async Task<int> RecheckAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        foreach (var workspace in await HeldWorkspacesAsync(cancellationToken))
        {
            int done;
            do
            {
                done = await ExclusiveAsync(() => RecheckStepAsync(workspace.Id, cancellationToken), cancellationToken);
                total += done;
            }
            while (done == ProfileStepSize);
        }

        return total;
    }

    /// <summary>Runs the unfinished backfills of every workspace to their end; returns how many profiles it re-derived.</summary>
    public async Task<long> BackfillAsync(IProgress<Backfill>? progress, CancellationToken cancellationToken)
    {
        long total = 0;
        foreach (var workspace in await HeldWorkspacesAsync(cancellationToken))
        {
            while (await ExclusiveAsync(() => BackfillStepAsync(workspace.Id, cancellationToken), cancellationToken) is { } step)
            {
                total += step.Done;
                progress?.Report(step.Progress);
                if (step.Progress.FinishedAt is not null)
                {
                    break;
                }
            }
        }

        return total;
    }

    // Re-checks and backfills of a workspace are done by the worker holding its partition.
    private async Task<IEnumerable<Workspace>> HeldWorkspacesAsync(CancellationToken cancellationToken)
    {
        var partitions = Partitions;
        return (await store.Sources.ListWorkspacesAsync(cancellationToken)).Where(w => partitions.Contains(w.Partition));
    }

    private async Task<T> ExclusiveAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await work();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<int> RecheckStepAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var ids = await store.Audiences.DueForRecheckAsync(workspaceId, now, ProfileStepSize, cancellationToken);
        if (ids.Count == 0)
        {
            return 0;
        }

        var changes = await PinnedChangesAsync(workspaceId, cancellationToken);
        var stage = await StageAsync(workspaceId, announce: true, cancellationToken);
        var identities = (await store.Audiences.LoadIdentitiesOfAsync(ids, cancellationToken)).ToDictionary(p => p.Id, StringComparer.Ordinal);
        foreach (var profile in await store.Profiles.LoadProfilesAsync(ids, cancellationToken))
        {
            stage.Attach(profile);
            stage.Settle(profile, identities.GetValueOrDefault(profile.Id), now, changes, everything: true);
            profile.UpdatedAt = now;
            changes.Profiles.Add(profile);
        }

        await ApplyPinnedAsync(changes, cancellationToken);
        return ids.Count;
    }

    private async Task<BackfillStep?> BackfillStepAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var backfill = await store.Audiences.GetBackfillAsync(workspaceId, cancellationToken);
        if (backfill is null || backfill.FinishedAt is not null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        // A definition change is not something the person did: memberships it changes are not announced (measured: 100
        // new audiences on 100,000 profiles would append 3 million events). Members and exports give the population.
        var stage = await StageAsync(workspaceId, announce: false, cancellationToken);
        var ids = await store.Audiences.ListProfileIdsAsync(workspaceId, backfill.Cursor, ProfileStepSize, cancellationToken);
        var changes = await PinnedChangesAsync(workspaceId, cancellationToken);
        var identities = (await store.Audiences.LoadIdentitiesOfAsync(ids, cancellationToken)).ToDictionary(p => p.Id, StringComparer.Ordinal);
        foreach (var profile in await store.Profiles.LoadProfilesAsync(ids, cancellationToken))
        {
            if (stage.Attach(profile))
            {
                // An aggregate is new or changed and holds only recent events: fold all the profile's events into fresh ones.
                stage.Reset(profile);
                await ProfileReplay.ObserveAllAsync(store.Profiles, stage, profile, now, cancellationToken);
            }

            stage.Settle(profile, identities.GetValueOrDefault(profile.Id), now, changes, everything: true);
            profile.UpdatedAt = now;
            changes.Profiles.Add(profile);
        }

        var finished = ids.Count < ProfileStepSize;
        changes.Backfill = backfill with
        {
            Cursor = ids.Count > 0 ? ids[^1] : backfill.Cursor,
            Done = backfill.Done + ids.Count,
            Total = Math.Max(backfill.Total, backfill.Done + ids.Count),
            FinishedAt = finished ? now : null,
        };
        await ApplyPinnedAsync(changes, cancellationToken);
        return new BackfillStep(ids.Count, changes.Backfill);
    }

    // Moves the workspace's partition checkpoint nowhere: a batch another instance applies to the partition meanwhile
    // makes the store refuse this step.
    private async Task<ChangeSet> PinnedChangesAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var consumer = PipelinePartitions.ConsumerOf(await PartitionOfAsync(workspaceId, cancellationToken));
        var position = await store.Profiles.GetCheckpointAsync(consumer, cancellationToken);
        return new ChangeSet { Checkpoints = { new CheckpointMove(consumer, position, position) } };
    }

    // Definitions are checked every batch (one small query) so that a change made anywhere applies to the next batch.
    private async Task<AudienceStage> StageAsync(string workspaceId, bool announce, CancellationToken cancellationToken)
    {
        var version = await store.Audiences.GetDefinitionsVersionAsync(workspaceId, cancellationToken);
        if (!_definitions.TryGetValue(workspaceId, out var definitions) || definitions.Version != version)
        {
            var computed = new List<ComputedTraitDefinition>();
            var audiences = new List<AudienceDefinition>();
            foreach (var stored in await store.Audiences.ListDefinitionsAsync(workspaceId, cancellationToken))
            {
                // Stored definitions were validated when they were stored.
                if (stored.Kind == DefinitionKind.ComputedTrait)
                {
                    computed.Add(DefinitionParser.ParseComputedTrait(stored.Json).Value);
                }
                else
                {
                    audiences.Add(DefinitionParser.ParseAudience(stored.Json).Value);
                }
            }

            _definitions[workspaceId] = definitions = new WorkspaceDefinitions(version, computed, audiences);
        }

        return new AudienceStage(definitions, workspaceId, OwnSources.AudiencesOf(workspaceId)) { Announce = announce };
    }

    private sealed record BackfillStep(int Done, Backfill Progress);
}
