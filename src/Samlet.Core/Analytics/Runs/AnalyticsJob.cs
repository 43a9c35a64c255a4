using System.Text.Json.Nodes;
using Samlet.Pipeline;
using Samlet.Profiles;
using Samlet.Sources;
using Samlet.Storage;

namespace Samlet.Analytics.Runs;

/// <summary>
/// The analytics job (docs/analytics.md "In the platform"): scans a workspace's profiles and events, runs
/// <see cref="WorkspaceAnalysis"/>, records the run with its report, and writes each customer's changed predictions as
/// an <c>identify</c> event of the workspace's analytics source, which the pipeline applies to the profile like any
/// trait. Events stay the source of truth: a rebuild reproduces the predictions, deleting a person deletes them.
/// </summary>
public sealed class AnalyticsJob(ICdpStore store, TimeProvider time)
{
    /// <summary>Profiles compared and written per round trip.</summary>
    public int ChunkSize { get; init; } = 1000;

    /// <summary>
    /// How soon a failed run is followed by a scheduled one (or after the interval, when that is shorter): a failure is the
    /// store or the machine, not the data (a model that cannot fit is a warning in a run that succeeds), so it is worth
    /// trying again before a whole interval has passed without predictions.
    /// </summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromHours(1);

    /// <summary>A scheduled run waits until the pipeline is at most this many events behind, so that it sees the data.</summary>
    public long MaxLag { get; init; } = 10_000;

    public async Task<AnalyticsSettings> SettingsAsync(string workspaceId, CancellationToken cancellationToken) =>
        await store.Analytics.GetSettingsAsync(workspaceId, cancellationToken) is { } json
            ? AnalyticsSettingsJson.Parse(json).Definition ?? AnalyticsSettings.Default
            : AnalyticsSettings.Default;

    /// <summary>
    /// Asks for a run of the workspace, unless one is already asked for and not started: that one is returned instead.
    /// The instance holding the analytics lease runs it once the pipeline has caught up.
    /// </summary>
    public async Task<AnalyticsRun> RequestAsync(string workspaceId, string trigger, CancellationToken cancellationToken)
    {
        if (await store.Analytics.GetLatestRunAsync(workspaceId, null, cancellationToken) is { Status: AnalyticsRunStatus.Requested } pending)
        {
            return pending with { Report = null };
        }

        var run = new AnalyticsRun(0, workspaceId, AnalyticsRunStatus.Requested, trigger, time.GetUtcNow());
        return run with { Id = await store.Analytics.CreateRunAsync(run, cancellationToken) };
    }

    /// <summary>
    /// Runs what is due in every workspace once the pipeline has caught up (so that a run sees the data): the run asked
    /// for last (or left running by an instance that died: its events are de-duplicated when it runs again), else a
    /// scheduled one when the last is older than the interval (or failed over <see cref="RetryAfterFailure"/> ago).
    /// Returns the runs it finished.
    /// </summary>
    public async Task<IReadOnlyList<AnalyticsRun>> RunDueAsync(CancellationToken cancellationToken)
    {
        var finished = new List<AnalyticsRun>();
        if (!await CaughtUpAsync(cancellationToken))
        {
            return finished;
        }

        foreach (var workspace in await store.Sources.ListWorkspacesAsync(cancellationToken))
        {
            var latest = await store.Analytics.GetLatestRunAsync(workspace.Id, null, cancellationToken);
            if (latest is { Status: AnalyticsRunStatus.Requested or AnalyticsRunStatus.Running })
            {
                await AbandonOlderAsync(latest, cancellationToken);
                finished.Add(await RunAsync(latest, cancellationToken));
                continue;
            }

            var settings = await SettingsAsync(workspace.Id, cancellationToken);
            var due = latest is null
                ? await store.Profiles.CountProfilesAsync(workspace.Id, cancellationToken) > 0
                : time.GetUtcNow() >= NextAfter(latest, settings);
            if (settings.Enabled && due)
            {
                var run = await RequestAsync(workspace.Id, "schedule", cancellationToken);
                finished.Add(await RunAsync(run, cancellationToken));
            }
        }

        return finished;
    }

    /// <summary>Runs one recorded run to its end (succeeded or failed, with the reason) and records the outcome.</summary>
    public async Task<AnalyticsRun> RunAsync(AnalyticsRun run, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        run = run with { Status = AnalyticsRunStatus.Running, StartedAt = now, AsOf = now, Report = null, Error = null };
        await store.Analytics.UpdateRunAsync(run, cancellationToken);
        try
        {
            var settings = await SettingsAsync(run.WorkspaceId, cancellationToken);
            var position = await PipelinePartitions.CheckpointOfAsync(store, run.WorkspaceId, cancellationToken);
            var sources = (await store.Sources.ListSourcesAsync(run.WorkspaceId, cancellationToken))
                .Where(s => !OwnSources.IsOwn(s.Id)).Select(s => s.Id).ToList();
            var activity = new WorkspaceActivity(settings, now);
            await foreach (var e in store.Analytics.ScanProfileEventsAsync(WorkspaceActivity.ScanOf(settings, sources), cancellationToken))
            {
                activity.Add(e);
            }

            var outcome = WorkspaceAnalysis.Run(activity, settings);
            var updated = settings.WriteTraits ? await WriteAsync(run, outcome.Predictions, now, cancellationToken) : 0;
            run = run with { Status = AnalyticsRunStatus.Succeeded, FinishedAt = time.GetUtcNow(), Position = position, Report = outcome.ReportJson, ProfilesUpdated = updated };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            run = run with { Status = AnalyticsRunStatus.Failed, FinishedAt = time.GetUtcNow(), Error = e.Message };
        }

        await store.Analytics.UpdateRunAsync(run, cancellationToken);
        return run;
    }

    // A run left running by an instance that died, and then superseded by a newer request, never finishes: say so.
    private async Task AbandonOlderAsync(AnalyticsRun latest, CancellationToken cancellationToken)
    {
        foreach (var run in await store.Analytics.ListRunsAsync(latest.WorkspaceId, latest.Id, 20, cancellationToken))
        {
            if (run.Status is AnalyticsRunStatus.Running or AnalyticsRunStatus.Requested)
            {
                await store.Analytics.UpdateRunAsync(run with { Status = AnalyticsRunStatus.Failed, FinishedAt = time.GetUtcNow(), Error = "superseded by run " + latest.Id + " before it finished" }, cancellationToken);
            }
        }
    }

    // An interval after the last run was asked for; an hour after it failed, when that is sooner.
    private static DateTimeOffset NextAfter(AnalyticsRun latest, AnalyticsSettings settings)
    {
        var next = latest.RequestedAt + TimeSpan.FromHours(settings.IntervalHours);
        if (latest.Status != AnalyticsRunStatus.Failed)
        {
            return next;
        }

        var retry = (latest.FinishedAt ?? latest.RequestedAt) + RetryAfterFailure;
        return retry < next ? retry : next;
    }

    private async Task<bool> CaughtUpAsync(CancellationToken cancellationToken)
    {
        var position = await PipelinePartitions.LowestCheckpointAsync(store, cancellationToken);
        return await store.Events.LastSequenceAsync(cancellationToken) - position <= MaxLag;
    }

    // Only traits whose value changed are written, so a daily run adds events for the customers whose predictions moved.
    private async Task<int> WriteAsync(AnalyticsRun run, IReadOnlyList<ProfilePrediction> predictions, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sourceId = OwnSources.AnalyticsOf(run.WorkspaceId);
        await OwnSources.EnsureAsync(store.Sources, sourceId, now, cancellationToken);
        var updated = 0;
        foreach (var chunk in predictions.Chunk(ChunkSize))
        {
            var ids = chunk.Select(p => p.ProfileId).ToList();
            var profiles = (await store.Profiles.LoadProfilesAsync(ids, cancellationToken)).ToDictionary(p => p.Id, StringComparer.Ordinal);
            var identities = (await store.Audiences.LoadIdentitiesOfAsync(ids, cancellationToken)).ToDictionary(p => p.Id, StringComparer.Ordinal);
            var events = new List<Events.CollectedEvent>();
            foreach (var prediction in chunk)
            {
                if (!profiles.TryGetValue(prediction.ProfileId, out var profile))
                {
                    continue; // merged away or deleted since the scan
                }

                var changed = Changes(profile, prediction.Traits(), sourceId);
                if (changed.Count > 0)
                {
                    events.Add(AnalyticsEvents.Create(run.WorkspaceId, run.Id, profile.Id, identities.GetValueOrDefault(profile.Id), changed, now));
                }
            }

            if (events.Count > 0)
            {
                await store.Events.AppendAsync(events, [], cancellationToken);
                updated += events.Count;
            }
        }

        return updated;
    }

    /// <summary>The traits whose value differs from the profile's, and null for predictions an earlier run wrote that this one has no value for.</summary>
    private static List<KeyValuePair<string, JsonNode?>> Changes(ProfileState profile, IReadOnlyList<KeyValuePair<string, JsonNode?>> traits, string analyticsSourceId)
    {
        var changed = new List<KeyValuePair<string, JsonNode?>>();
        foreach (var (key, value) in traits)
        {
            if (profile.Traits[key] is not { } current || !JsonNode.DeepEquals(JsonNode.Parse(current.Json), value))
            {
                changed.Add(new(key, value));
            }
        }

        foreach (var key in ProfilePrediction.TraitNames)
        {
            if (profile.Traits[key] is { } current && current.SourceId == analyticsSourceId && current.Json != "null" && !traits.Any(t => t.Key == key))
            {
                changed.Add(new(key, null));
            }
        }

        return changed;
    }
}
