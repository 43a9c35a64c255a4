using System.Diagnostics;
using System.Globalization;
using Samlet.Pipeline;
using Samlet.Storage;
using Samlet.Storage.Postgres;
using Samlet.Storage.Sqlite;

namespace Samlet.Benchmarks.Pipeline;

/// <summary>
/// <c>pipeline --data DIR | --postgres CONN [--batch-size N] [--events-per-commit N] [--read-ahead N] [--cached-profiles N] [--workspaces N] [--reset | --partitions 0,2,…]</c>: rebuilds
/// the profiles of an existing store (e.g. after <c>samlet import</c> of the demo shop) and prints events/s every few
/// seconds and at the end, with the peak working set. A rebuild runs the same batches as the live worker catching up, so
/// it measures both. For the pipeline split across instances (ADR 11): <c>--workspaces N</c> first copies the first
/// workspace's events into new workspaces (page by page, so the shops' events interleave in the log) until there are N;
/// <c>--reset</c> only drops the derived state; <c>--partitions</c> catches up just those partitions from their
/// checkpoints, as one instance of several does (run one process per share at once).
/// </summary>
internal static class PipelineThroughput
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? data = null;
        string? postgres = null;
        int? batchSize = null, eventsPerCommit = null, readAhead = null, cachedProfiles = null; // null: the worker's default
        var workspaces = 0;
        var reset = false;
        IReadOnlySet<int>? partitions = null;
        for (var i = 0; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length ? args[i + 1] : "";
            switch (args[i])
            {
                case "--data": data = value; break;
                case "--postgres": postgres = value; break;
                case "--batch-size": batchSize = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--events-per-commit": eventsPerCommit = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--read-ahead": readAhead = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--cached-profiles": cachedProfiles = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--workspaces": workspaces = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--partitions": partitions = value.Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToHashSet(); break;
                case "--reset": reset = true; i--; break;
                default: Console.Error.WriteLine($"Unknown option {args[i]}"); return 2;
            }
        }

        if ((data is null) == (postgres is null))
        {
            Console.Error.WriteLine("Give --data DIR (SQLite) or --postgres CONNECTION.");
            return 2;
        }

        await using ICdpStore store = data is not null
            ? await SqliteCdpStore.OpenAsync(data, CancellationToken.None)
            : await PostgresCdpStore.OpenAsync(postgres!, CancellationToken.None);
        await store.MigrateAsync(CancellationToken.None);
        await CopyWorkspacesAsync(store, workspaces);
        if (reset)
        {
            await store.Profiles.ResetAsync(PipelinePartitions.Consumers, CancellationToken.None);
            Console.WriteLine("Derived state dropped; every partition's checkpoint is at 0.");
            return 0;
        }

        var total = await store.Events.CountAsync(CancellationToken.None);
        var defaults = new PipelineWorker(store, TimeProvider.System);
        Console.WriteLine($"{total:N0} events in the log; batch size {batchSize ?? defaults.BatchSize}; " +
                          $"{eventsPerCommit ?? defaults.EventsPerCommit:N0} events per commit at most; partitions {string.Join(",", (partitions ?? PipelinePartitions.All).Order())}.");
        var worker = new PipelineWorker(store, TimeProvider.System)
        {
            BatchSize = batchSize ?? defaults.BatchSize,
            EventsPerCommit = eventsPerCommit ?? defaults.EventsPerCommit,
            ReadAheadBatches = readAhead ?? defaults.ReadAheadBatches,
            CachedProfiles = cachedProfiles ?? defaults.CachedProfiles,
            Partitions = partitions ?? PipelinePartitions.All,
        };
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var collectionsBefore = Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray();
        var pausedBefore = GC.GetTotalPauseDuration();
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        var progress = new Progress(done =>
        {
            if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(5))
            {
                lastReport = clock.Elapsed;
                Console.WriteLine($"  {done:N0} events, {done / clock.Elapsed.TotalSeconds:N0} events/s, working set {Environment.WorkingSet / 1e6:N0} MB");
            }
        });
        var processed = partitions is null
            ? await worker.RebuildAsync(progress, CancellationToken.None)
            : await worker.CatchUpAsync(progress, CancellationToken.None);
        clock.Stop();
        using var self = Process.GetCurrentProcess();
        var profiles = 0L;
        foreach (var workspace in await store.Sources.ListWorkspacesAsync(CancellationToken.None))
        {
            profiles += await store.Profiles.CountProfilesAsync(workspace.Id, CancellationToken.None);
        }

        Console.WriteLine($"{(partitions is null ? "rebuild" : "catch-up")}: {processed:N0} events read in {clock.Elapsed.TotalSeconds:N1} s = {processed / clock.Elapsed.TotalSeconds:N0} events/s; " +
                          $"{profiles:N0} profiles; peak working set {self.PeakWorkingSet64 / 1e6:N0} MB");
        var times = worker.Times;
        Console.WriteLine($"  worker: waiting for the read-ahead {times[PipelinePhase.Wait].TotalSeconds:N1} s, deciding {times[PipelinePhase.Decide].TotalSeconds:N1} s, " +
                          $"committing {times[PipelinePhase.Commit].TotalSeconds:N1} s; beside it: reading {times[PipelinePhase.Read].TotalSeconds:N1} s, parsing {times[PipelinePhase.Parse].TotalSeconds:N1} s");
        var collections = Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - collectionsBefore[g]).ToArray();
        Console.WriteLine($"  managed memory allocated: {(GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore) / (double)Math.Max(1, processed) / 1024:N1} KB per event; " +
                          $"collections gen0/1/2: {collections[0]}/{collections[1]}/{collections[2]}, paused {(GC.GetTotalPauseDuration() - pausedBefore).TotalSeconds:N1} s");
        return 0;
    }

    // Copies the first workspace's events (its first source's) into new workspaces until there are `count`, a page at a
    // time for each, so that the log interleaves the shops' events as live traffic of several workspaces would.
    private static async Task CopyWorkspacesAsync(ICdpStore store, int count)
    {
        var existing = await store.Sources.ListWorkspacesAsync(CancellationToken.None);
        if (existing.Count == 0 || existing.Count >= count)
        {
            return;
        }

        var original = (await store.Sources.ListSourcesAsync(existing[0].Id, CancellationToken.None))[0];
        var copies = new List<string>();
        for (var w = existing.Count; w < count; w++)
        {
            var workspace = new Sources.Workspace($"ws_copy{w}", $"copy {w} of {existing[0].Name}", original.CreatedAt.AddSeconds(w));
            await store.Sources.CreateWorkspaceAsync(workspace, CancellationToken.None);
            await store.Sources.CreateSourceAsync(original with { Id = $"src_copy{w}", WorkspaceId = workspace.Id, WriteKeyHash = $"copy{w}-" + original.WriteKeyHash }, CancellationToken.None);
            copies.Add($"src_copy{w}");
        }

        var clock = Stopwatch.StartNew();
        var last = await store.Events.LastSequenceAsync(CancellationToken.None);
        long after = 0, copied = 0;
        while (after < last)
        {
            var page = await store.Events.ReadAfterAsync(after, 2000, CancellationToken.None);
            if (page.Count == 0)
            {
                break;
            }

            after = page[^1].Sequence;
            var events = page.Where(e => e.SourceId == original.Id && e.Sequence <= last).ToList();
            foreach (var source in copies)
            {
                await store.Events.AppendAsync([.. events.Select(e => new Events.CollectedEvent(source, e.MessageId, e.Type, e.EventName, e.UserId, e.AnonymousId, e.Timestamp, e.ReceivedAt, e.Payload))], [], CancellationToken.None);
                copied += events.Count;
            }
        }

        Console.WriteLine($"Copied {copied:N0} events into {copies.Count} new workspaces in {clock.Elapsed.TotalSeconds:N1} s.");
    }

    // Synchronous, unlike Progress<T>, which posts to the thread pool and would report out of order.
    private sealed class Progress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
