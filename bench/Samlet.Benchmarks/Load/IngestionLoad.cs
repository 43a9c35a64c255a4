using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Samlet.Benchmarks.Load;

/// <summary>
/// Load generator for the Segment-compatible Tracking API (<c>Samlet.Benchmarks load ...</c>): POSTs pre-built
/// <c>/v1/batch</c> requests over loopback and reports throughput, ack latency and its own CPU cost per configuration.
/// </summary>
internal static class IngestionLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        LoadOptions options;
        try
        {
            options = LoadOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or UriFormatException)
        {
            await Console.Error.WriteLineAsync($"{e.Message}\n{LoadOptions.Usage}");
            return 2;
        }
        if (options.ServeCeilingPort is int port)
        {
            await CeilingStub.ServeAsync(port, options.ServeFor);
            return 0;
        }
        var servers = options.Urls.Select(LoopbackEndPoint).ToArray();
        if (Array.IndexOf(servers, null) is var refused and >= 0)
        {
            await Console.Error.WriteLineAsync($"Refusing {options.Urls[refused]}: the load generator only targets loopback addresses.");
            return 2;
        }
        var ids = new MessageIds();
        var origin = TimeProvider.System.GetUtcNow().UtcDateTime;
        if (options.PrintRequest is int events)
        {
            var ring = new PayloadRing(events, 1, options.Path, options.Url.Authority, options.WriteKey, ids, origin);
            Console.WriteLine(Encoding.UTF8.GetString(ring.Next(0, origin).Bytes));
            return 0;
        }

        using var httpClient = HttpClientSender.CreateClient(options.Connections);
        httpClient.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(options.WriteKey + ":")));
        var targets = options.CeilingPath is null
            ? [("durable", options.Path)]
            : new[] { ("durable", options.Path), ("ceiling", options.CeilingPath) };
        var results = new List<RunResult>();
        foreach (var batchSize in options.BatchSizes)
        {
            foreach (var (target, path) in targets)
            {
                var ring = new PayloadRing(batchSize, options.Connections, path, options.Url.Authority, options.WriteKey, ids, origin);
                // Connections go to the servers in turn (several instances on one store).
                var connections = 0;
                Func<IRequestSender> connect = options.Client == "raw"
                    ? () => new RawHttpConnection(servers[Interlocked.Increment(ref connections) % servers.Length]!)
                    : () => new HttpClientSender(httpClient, new Uri(options.Urls[Interlocked.Increment(ref connections) % servers.Length], path));
                Console.Error.WriteLine($"{target} {path}: {batchSize} events/request ({ring.AverageEventBytes:0} B/event), " +
                    $"{options.Connections} connections, {(options.Rate is double r ? $"open loop {r:0}/s" : "closed loop")}, " +
                    $"{options.Warmup.TotalSeconds:0}+{options.Duration.TotalSeconds:0} s");
                var run = new LoadRun(worker => ring.SequenceOf(worker, options.Connections), connect, options.Connections, options.Rate);
                var (stats, cpu) = await run.ExecuteAsync(options.Warmup, options.Duration);
                results.Add(Summarise(options, target, path, ring, stats, cpu));
            }
        }
        results = WithCeilingRatios(results);
        Console.Write(ResultTable.Format(results));
        if (options.JsonFile is not null)
        {
            await ResultTable.WriteJsonAsync(options.JsonFile, results);
        }
        return 0;
    }

    private static RunResult Summarise(LoadOptions o, string target, string path, PayloadRing ring, WorkerStats s, TimeSpan cpu)
    {
        var seconds = o.Duration.TotalSeconds;
        var ok = s.Statuses[200];
        var errors = s.Statuses
            .Select((count, status) => (count, status))
            .Where(x => x.count > 0 && x.status != 200)
            .ToDictionary(x => ResultTable.StatusName(x.status), x => x.count);
        return new RunResult(
            target, path, o.Rate is null ? "closed" : "open", o.Client, ring.BatchSize, o.Connections, o.Rate, seconds,
            Math.Round(ring.AverageEventBytes), s.Answered, ok, s.Answered / seconds, ok * ring.BatchSize / seconds, errors,
            Ms(s.Latency.Percentile(0.50)), Ms(s.Latency.Percentile(0.90)), Ms(s.Latency.Percentile(0.99)), Ms(s.Latency.Max),
            Ms(s.StartLag.Percentile(0.50)), Ms(s.StartLag.Percentile(0.99)),
            cpu.TotalSeconds, 100 * cpu.TotalSeconds / seconds, cpu.TotalMicroseconds / Math.Max(1, s.StartLag.Count));
    }

    // Closed loop only: the durable path's acked events/s over the ceiling path's at the same batch size.
    private static List<RunResult> WithCeilingRatios(List<RunResult> results) =>
        [.. results.Select(r => r is { Target: "durable", Mode: "closed" }
            && results.Find(c => c is { Target: "ceiling", Mode: "closed" } && c.BatchSize == r.BatchSize) is { AckedEventsPerSecond: > 0 } ceiling
                ? r with { CeilingRatio = r.AckedEventsPerSecond / ceiling.AckedEventsPerSecond }
                : r)];

    private static double Ms(long micros) => micros / 1000.0;

    // No DNS: "localhost" or a literal loopback address, so a typo can never aim the load elsewhere.
    internal static IPEndPoint? LoopbackEndPoint(Uri url) =>
        url.Host == "localhost" ? new IPEndPoint(IPAddress.Loopback, url.Port)
        : IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip) ? new IPEndPoint(ip, url.Port)
        : null;
}
