using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Samlet.Audiences;
using Samlet.Benchmarks.Storage;
using Samlet.Pipeline;
using Samlet.Sources;
using Samlet.Storage;
using Samlet.Storage.Postgres;
using Samlet.Storage.Sqlite;

namespace Samlet.Benchmarks.Audiences;

/// <summary>
/// <c>audiences</c>: computed traits and audiences on a store of synthetic profiles (<see cref="SyntheticProfiles"/>):
/// the preview of a three-condition audience, the full recompute (backfill) of 100 audiences, event-to-membership
/// latency under ingestion load (<see cref="ProbeLatency"/>), and the process's memory after each phase.
/// </summary>
internal static class AudienceBench
{
    private const string WorkspaceId = "ws_bench";
    private const string SourceId = "src_bench";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help"))
        {
            Console.WriteLine(AudienceBenchOptions.Usage);
            return 0;
        }

        AudienceBenchOptions options;
        try
        {
            options = AudienceBenchOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"{e.Message}\n{AudienceBenchOptions.Usage}");
            return 2;
        }

        Console.WriteLine($"audiences: {options.Profiles:N0} profiles, {(options.Postgres is null ? "SQLite" : "PostgreSQL")}, " +
                          $"{Environment.ProcessorCount} cores, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC");
        if (options.Postgres is null)
        {
            var directory = Directory.CreateTempSubdirectory("samlet-audiences-").FullName;
            try
            {
                await using var store = await SqliteCdpStore.OpenAsync(directory, CancellationToken.None);
                await RunPhasesAsync(store, options);
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }

            return 0;
        }

        var database = "samlet_audiences_" + Guid.NewGuid().ToString("N")[..8];
        await AppendThroughput.ExecuteAsync(options.Postgres, $"CREATE DATABASE {database}");
        try
        {
            var connection = new NpgsqlConnectionStringBuilder(options.Postgres) { Database = database }.ConnectionString;
            await using var store = await PostgresCdpStore.OpenAsync(connection, CancellationToken.None);
            await RunPhasesAsync(store, options);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await AppendThroughput.ExecuteAsync(options.Postgres, $"DROP DATABASE {database} WITH (FORCE)");
        }

        return 0;
    }

    private static async Task RunPhasesAsync(ICdpStore store, AudienceBenchOptions options)
    {
        var ct = CancellationToken.None;
        await store.MigrateAsync(ct);
        var at = TimeProvider.System.GetUtcNow();
        await store.Sources.CreateWorkspaceAsync(new Workspace(WorkspaceId, "bench", at), ct);
        await store.Sources.CreateSourceAsync(new Source(SourceId, WorkspaceId, "bench", "hash-bench", true, at), ct);
        foreach (var json in BenchDefinitions.ComputedTraits)
        {
            await PutAsync(store, DefinitionKind.ComputedTrait, json);
        }

        foreach (var json in BenchDefinitions.BaseAudiences)
        {
            await PutAsync(store, DefinitionKind.Audience, json);
        }

        var definitions = await LoadAsync(store);
        var clock = Stopwatch.StartNew();
        long memberships;
        using (var profiles = new SyntheticProfiles(store, WorkspaceId, SourceId, definitions, options.Seed))
        {
            var lastReport = TimeSpan.Zero;
            memberships = await profiles.WriteAsync(options.Profiles, options.Chunk, TimeProvider.System.GetUtcNow(), new Progress(done =>
            {
                if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(10))
                {
                    lastReport = clock.Elapsed;
                    Console.WriteLine($"  {done:N0} profiles, {done / clock.Elapsed.TotalSeconds:N0}/s");
                }
            }), ct);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generate: {options.Profiles:N0} profiles ({definitions.ComputedTraits.Count} computed traits, {definitions.Audiences.Count} audiences, " +
                                    $"{definitions.Aggregates.Count} aggregates kept) in {clock.Elapsed.TotalSeconds:F1} s = {options.Profiles / clock.Elapsed.TotalSeconds:N0} profiles/s; {memberships:N0} memberships"));
        Memory("generate");

        if (options.Phases.Contains("preview"))
        {
            await PreviewAsync(store, definitions, options.PreviewRuns);
            Memory("preview");
        }

        if (options.Phases.Contains("recompute") || options.Phases.Contains("latency"))
        {
            foreach (var json in BenchDefinitions.Generated(options.Audiences).Append(BenchDefinitions.ProbeJson))
            {
                await PutAsync(store, DefinitionKind.Audience, json);
            }

            await RecomputeAsync(store, options);
            Memory("recompute");
        }

        if (options.Phases.Contains("latency"))
        {
            await new ProbeLatency(new WatchedStore(store, BenchDefinitions.ProbeKey), WorkspaceId, SourceId, options).RunAsync();
            Memory("latency");
        }
    }

    // The preview as the server answers it: from the in-memory snapshot (loaded once, then evaluated on every call), and
    // for comparison, once, from the store (what a preview of a condition no definition keeps costs).
    private static async Task PreviewAsync(ICdpStore store, WorkspaceDefinitions definitions, int runs)
    {
        var candidate = DefinitionParser.ParseAudience(BenchDefinitions.PreviewJson).Value;
        var clock = Stopwatch.StartNew();
        var cpuBefore = CpuMilliseconds();
        var snapshot = await AudienceSnapshot.LoadAsync(store, WorkspaceId, definitions, TimeProvider.System.GetUtcNow(), CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"snapshot load: {snapshot.Count:N0} profiles in {clock.Elapsed.TotalSeconds:F1} s, process CPU {(CpuMilliseconds() - cpuBefore) / 1000:F1} s"));
        Memory("snapshot load");

        var times = new List<double>();
        var cpu = new List<double>();
        PreviewResult? result = null;
        for (var i = 0; i < runs; i++)
        {
            clock.Restart();
            cpuBefore = CpuMilliseconds();
            result = snapshot.Evaluate(candidate.Condition, TimeProvider.System.GetUtcNow(), 10);
            times.Add(clock.Elapsed.TotalMilliseconds);
            cpu.Add(CpuMilliseconds() - cpuBefore);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  preview run {i + 1}: {times[^1]:F0} ms, process CPU {cpu[^1]:F0} ms"));
        }

        times.Sort();
        cpu.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"preview from the snapshot (trait + computed + kept behaviour), {runs} runs: min {times[0]:F0} ms, median {times[times.Count / 2]:F0} ms, max {times[^1]:F0} ms; " +
                                    $"median process CPU {cpu[cpu.Count / 2]:F0} ms = {cpu[cpu.Count / 2] * 1000 / Math.Max(1, result!.Total):F2} µs/profile; {result.Count:N0} of {result.Total:N0} profiles"));

        if (snapshot.Count > 200_000)
        {
            return; // about a minute per million profiles: measured once in bench/README.md
        }

        clock.Restart();
        var scanned = await new AudiencePreview(store).RunAsync(WorkspaceId, definitions, candidate, 10, TimeProvider.System.GetUtcNow(), CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"preview from the store (once): {clock.Elapsed.TotalMilliseconds:F0} ms; {scanned.Count:N0} of {scanned.Total:N0} profiles (same count: {scanned.Count == result.Count})"));
    }

    // Puts the audiences and times the backfill their change starts: every profile is re-evaluated against all of them.
    private static async Task RecomputeAsync(ICdpStore store, AudienceBenchOptions options)
    {
        var worker = new PipelineWorker(store, TimeProvider.System);
        var audiences = (await LoadAsync(store)).Audiences.Count;
        var clock = Stopwatch.StartNew();
        var cpuBefore = CpuMilliseconds();
        var lastReport = TimeSpan.Zero;
        var done = await worker.BackfillAsync(new Progress<Backfill>(b =>
        {
            if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(10))
            {
                lastReport = clock.Elapsed;
                Console.WriteLine($"  {b.Done:N0} of {b.Total:N0} profiles, {b.Done / clock.Elapsed.TotalSeconds:N0}/s");
            }
        }), CancellationToken.None);
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = CpuMilliseconds() - cpuBefore;
        var members = await store.Audiences.CountMembersAsync(WorkspaceId, CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"recompute: {done:N0} profiles against {audiences} audiences ({options.Audiences} new) in {seconds:F1} s = {done / seconds:N0} profiles/s; process CPU {cpu / 1000:F1} s = {cpu * 1000 / Math.Max(1, done):F0} µs/profile; " +
                                    $"{members.Values.Sum():N0} memberships in {members.Count} audiences"));
    }

    private static async Task PutAsync(ICdpStore store, DefinitionKind kind, string json)
    {
        var key = kind == DefinitionKind.ComputedTrait
            ? DefinitionParser.ParseComputedTrait(json).Value.Key
            : DefinitionParser.ParseAudience(json).Value.Key;
        await store.Audiences.PutDefinitionAsync(WorkspaceId, kind, key, json, TimeProvider.System.GetUtcNow(), CancellationToken.None);
    }

    // As the pipeline worker builds them from the stored definitions.
    private static async Task<WorkspaceDefinitions> LoadAsync(ICdpStore store)
    {
        var ct = CancellationToken.None;
        var computed = new List<ComputedTraitDefinition>();
        var audiences = new List<AudienceDefinition>();
        foreach (var stored in await store.Audiences.ListDefinitionsAsync(WorkspaceId, ct))
        {
            if (stored.Kind == DefinitionKind.ComputedTrait)
            {
                computed.Add(DefinitionParser.ParseComputedTrait(stored.Json).Value);
            }
            else
            {
                audiences.Add(DefinitionParser.ParseAudience(stored.Json).Value);
            }
        }

        return new WorkspaceDefinitions(await store.Audiences.GetDefinitionsVersionAsync(WorkspaceId, ct), computed, audiences);
    }

    private static double CpuMilliseconds()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalMilliseconds;
    }

    private static void Memory(string phase)
    {
        using var self = Process.GetCurrentProcess();
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"memory after {phase}: peak working set {self.PeakWorkingSet64 / 1e6:N0} MB, working set {self.WorkingSet64 / 1e6:N0} MB, managed heap {heap / 1e6:F1} MB live after a full GC"));
    }

    // Synchronous, unlike Progress<T>, which posts to the thread pool and would report out of order.
    private sealed class Progress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
