using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using Samlet.Demo;
using Samlet.Events;
using Samlet.Ingestion;
using Samlet.Storage;
using Samlet.Storage.Postgres;
using Samlet.Storage.Sqlite;

namespace Samlet.Benchmarks.Storage;

/// <summary>
/// <c>append</c>: events/s of <see cref="IEventLog.AppendAsync"/> on each store, one writer, for several events per append
/// (20 ≈ a group commit of one request, 10,000 = an import batch), with the demo shop's normalised events (~1 KB).
/// Each run gets a fresh store; then the same events are appended again (all duplicates, as a re-import).
/// </summary>
internal static class AppendThroughput
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? postgres = null;
        var events = 200_000;
        int[] batchSizes = [20, 1_000, 10_000];
        var seconds = 20.0;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--postgres": postgres = args[i + 1]; break;
                case "--events": events = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--batch-sizes": batchSizes = [.. args[i + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]; break;
                case "--seconds": seconds = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"Unknown option {args[i]}"); return 2;
            }
        }

        var data = DemoEvents(events);
        Console.WriteLine($"{data.Count:N0} normalised demo events, {data.Average(e => e.Payload.Length):N0} bytes of payload on average; at most {seconds} s per run.");
        Console.WriteLine("| store | events per append | appends | events/s (new) | append p50 ms | p99 ms | events/s (all duplicates) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var batchSize in batchSizes)
        {
            await RunOnSqliteAsync(data, batchSize, seconds);
            if (postgres is not null)
            {
                await RunOnPostgresAsync(postgres, data, batchSize, seconds);
            }
        }

        return 0;
    }

    internal static List<CollectedEvent> DemoEvents(int count)
    {
        var normalizer = new EventNormalizer(new IngestionLimits());
        var receivedAt = new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero);
        var result = new List<CollectedEvent>(count);
        foreach (var line in new DemoShop(new DemoOptions { BadDataScale = 0 }).Events())
        {
            using var document = JsonDocument.Parse(line.Line);
            if (normalizer.Normalize(document.RootElement, default, null, new IngestContext("src_bench", receivedAt, null, MissingMessageIds.ContentHash)).Accepted is { } accepted)
            {
                result.Add(accepted);
                if (result.Count == count)
                {
                    break;
                }
            }
        }

        return result;
    }

    private static async Task RunOnSqliteAsync(List<CollectedEvent> data, int batchSize, double seconds)
    {
        var directory = Directory.CreateTempSubdirectory("samlet-bench-").FullName;
        try
        {
            await using var store = await SqliteCdpStore.OpenAsync(directory, CancellationToken.None);
            await store.MigrateAsync(CancellationToken.None);
            await MeasureAsync("SQLite", store, data, batchSize, seconds);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task RunOnPostgresAsync(string server, List<CollectedEvent> data, int batchSize, double seconds)
    {
        var database = "samlet_bench_" + Guid.NewGuid().ToString("N")[..8];
        await ExecuteAsync(server, $"CREATE DATABASE {database}");
        try
        {
            var connection = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
            await using var store = await PostgresCdpStore.OpenAsync(connection, CancellationToken.None);
            await store.MigrateAsync(CancellationToken.None);
            await MeasureAsync("PostgreSQL", store, data, batchSize, seconds);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server, $"DROP DATABASE {database} WITH (FORCE)");
        }
    }

    private static async Task MeasureAsync(string name, ICdpStore store, List<CollectedEvent> data, int batchSize, double seconds)
    {
        var batches = data.Chunk(batchSize).ToList();
        await store.Events.AppendAsync(batches[0], [], CancellationToken.None); // warm-up: connections, partitions, JIT
        var (fresh, latencies, done) = await AppendAllAsync(store, batches.Skip(1).ToList(), seconds);
        var (again, _, _) = await AppendAllAsync(store, batches.Skip(1).Take(done).ToList(), seconds);
        latencies.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {batchSize:N0} | {done:N0} | {fresh:N0} | {latencies[latencies.Count / 2]:F1} | {latencies[(int)(latencies.Count * 0.99)]:F1} | {again:N0} |"));
    }

    /// <summary>Appends batches one after the other until all are done or the time is up; returns events/s, latencies (ms) and appends done.</summary>
    private static async Task<(double EventsPerSecond, List<double> Latencies, int Done)> AppendAllAsync(ICdpStore store, List<CollectedEvent[]> batches, double seconds)
    {
        var latencies = new List<double>(batches.Count);
        long events = 0;
        var clock = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            var started = clock.Elapsed;
            await store.Events.AppendAsync(batch, [], CancellationToken.None);
            latencies.Add((clock.Elapsed - started).TotalMilliseconds);
            events += batch.Length;
            if (clock.Elapsed.TotalSeconds >= seconds)
            {
                break;
            }
        }

        return (events / clock.Elapsed.TotalSeconds, latencies, latencies.Count);
    }

    internal static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
