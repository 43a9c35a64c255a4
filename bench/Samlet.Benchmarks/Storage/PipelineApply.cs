using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Samlet.Events;
using Samlet.Pipeline;
using Samlet.Sources;
using Samlet.Storage;
using Samlet.Storage.Postgres;
using Samlet.Storage.Sqlite;

namespace Samlet.Benchmarks.Storage;

/// <summary>
/// <c>apply</c>: the identity and profile pipeline over the demo shop's events on each store: how long
/// <see cref="ICdpStore.ApplyAsync(ChangeSet, CancellationToken)"/> takes per batch (2,000 events by default), and a whole batch (read, load, decide,
/// apply). The events are appended first (not measured); the worker then catches up from position 0.
/// </summary>
internal static class PipelineApply
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? postgres = null;
        var events = 100_000;
        var batchSize = 2_000;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--postgres": postgres = args[i + 1]; break;
                case "--events": events = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--batch-size": batchSize = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"Unknown option {args[i]}"); return 2;
            }
        }

        var data = AppendThroughput.DemoEvents(events);
        Console.WriteLine($"{data.Count:N0} demo events, pipeline batches of {batchSize:N0}.");
        Console.WriteLine("| store | batches | apply p50 ms | apply mean ms | apply p90 ms | batch p50 ms | events/s | per apply: links, profiles, identifiers, history, redirects |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---|");
        var directory = Directory.CreateTempSubdirectory("samlet-bench-").FullName;
        try
        {
            await using var store = await SqliteCdpStore.OpenAsync(directory, CancellationToken.None);
            await MeasureAsync("SQLite", store, data, batchSize);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        if (postgres is not null)
        {
            var database = "samlet_bench_" + Guid.NewGuid().ToString("N")[..8];
            await AppendThroughput.ExecuteAsync(postgres, $"CREATE DATABASE {database}");
            try
            {
                var connection = new NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString;
                await using var store = await PostgresCdpStore.OpenAsync(connection, CancellationToken.None);
                await MeasureAsync("PostgreSQL", store, data, batchSize);
            }
            finally
            {
                NpgsqlConnection.ClearAllPools();
                await AppendThroughput.ExecuteAsync(postgres, $"DROP DATABASE {database} WITH (FORCE)");
            }
        }

        return 0;
    }

    private static async Task MeasureAsync(string name, ICdpStore inner, List<CollectedEvent> data, int batchSize)
    {
        await inner.MigrateAsync(CancellationToken.None);
        var at = new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero);
        await inner.Sources.CreateWorkspaceAsync(new Workspace("ws_bench", "bench", at), CancellationToken.None);
        await inner.Sources.CreateSourceAsync(new Source("src_bench", "ws_bench", "bench", "hash-bench", true, at), CancellationToken.None);
        foreach (var chunk in data.Chunk(10_000))
        {
            await inner.Events.AppendAsync(chunk, [], CancellationToken.None);
        }

        var store = new TimedApplyStore(inner);
        var worker = new PipelineWorker(store, new FixedTime(at)) { BatchSize = batchSize };
        var batches = new List<double>();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var started = clock.Elapsed;
            if (await worker.RunOnceAsync(CancellationToken.None) == 0)
            {
                break;
            }

            batches.Add((clock.Elapsed - started).TotalMilliseconds);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        // The first batch warms up connections, statement plans and the JIT: left out of the figures.
        var applies = store.Applies.Skip(1).ToList();
        var times = applies.Select(a => a.Milliseconds).Order().ToList();
        batches = [.. batches.Skip(1).Order()];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {applies.Count} | {times[times.Count / 2]:F1} | {times.Average():F1} | {times[(int)(times.Count * 0.9)]:F1} | {batches[batches.Count / 2]:F1} | {data.Count / seconds:N0} | " +
            $"{applies.Average(a => a.Links):F0}, {applies.Average(a => a.Profiles):F0}, {applies.Average(a => a.Identifiers):F0}, {applies.Average(a => a.History):F0}, {applies.Average(a => a.Redirects):F0} |"));
    }

    private sealed record Apply(double Milliseconds, int Links, int Profiles, int Identifiers, int History, int Redirects);

    /// <summary>The store, with the duration of every <see cref="ApplyAsync(IReadOnlyList{ChangeSet}, CancellationToken)"/> recorded.</summary>
    private sealed class TimedApplyStore(ICdpStore inner) : ICdpStore
    {
        public List<Apply> Applies { get; } = [];

        public IEventLog Events => inner.Events;

        public ISourceStore Sources => inner.Sources;

        public IProfileStore Profiles => inner.Profiles;

        public IAudienceStore Audiences => inner.Audiences;

        public IAnalyticsStore Analytics => inner.Analytics;

        public int EventsPerCatchUpCommit => inner.EventsPerCatchUpCommit;

        public async Task ApplyAsync(IReadOnlyList<ChangeSet> changes, CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            await inner.ApplyAsync(changes, cancellationToken);
            Applies.Add(new Apply(
                clock.Elapsed.TotalMilliseconds, changes.Sum(c => c.Events.Count), changes.Sum(c => c.Profiles.Count), changes.Sum(c => c.Identifiers.Count),
                changes.Sum(c => c.History.Count), changes.Sum(c => c.Redirects.Count)));
        }

        public Task<ILease?> TryLeaseAsync(string name, CancellationToken cancellationToken) => inner.TryLeaseAsync(name, cancellationToken);

        public Task MigrateAsync(CancellationToken cancellationToken) => inner.MigrateAsync(cancellationToken);

        public Task<bool> IsReachableAsync(CancellationToken cancellationToken) => inner.IsReachableAsync(cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
