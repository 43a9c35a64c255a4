using System.Diagnostics;
using System.Globalization;
using Samlet.Pipeline;
using Samlet.Storage;
using Samlet.Storage.Postgres;
using Samlet.Storage.Sqlite;

namespace Samlet.Benchmarks.Pipeline;

/// <summary>
/// <c>pipeline --data DIR | --postgres CONN [--batch-size N]</c>: rebuilds the profiles of an existing store (e.g. after
/// <c>samlet import</c> of the demo shop) and prints events/s every few seconds and at the end, with the peak working set.
/// A rebuild runs the same batches as the live worker catching up, so it measures both.
/// </summary>
internal static class PipelineThroughput
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? data = null;
        string? postgres = null;
        var batchSize = 2000;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--data": data = args[i + 1]; break;
                case "--postgres": postgres = args[i + 1]; break;
                case "--batch-size": batchSize = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
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
        var total = await store.Events.CountAsync(CancellationToken.None);
        Console.WriteLine($"{total:N0} events in the log; batch size {batchSize}.");
        var worker = new PipelineWorker(store, TimeProvider.System) { BatchSize = batchSize };
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
        var processed = await worker.RebuildAsync(progress, CancellationToken.None);
        clock.Stop();
        using var self = Process.GetCurrentProcess();
        var profiles = 0L;
        foreach (var workspace in await store.Sources.ListWorkspacesAsync(CancellationToken.None))
        {
            profiles += await store.Profiles.CountProfilesAsync(workspace.Id, CancellationToken.None);
        }

        Console.WriteLine($"rebuild: {processed:N0} events in {clock.Elapsed.TotalSeconds:N1} s = {processed / clock.Elapsed.TotalSeconds:N0} events/s; " +
                          $"{profiles:N0} profiles; peak working set {self.PeakWorkingSet64 / 1e6:N0} MB");
        return 0;
    }

    // Synchronous, unlike Progress<T>, which posts to the thread pool and would report out of order.
    private sealed class Progress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
