using Samlet.Benchmarks.Load;
using static Samlet.Benchmarks.Load.ResultTable;

namespace Samlet.Benchmarks.Profiles;

/// <summary>
/// Load test of the Profile APIs (<c>Samlet.Benchmarks profiles ...</c>): GETs for identifiers chosen at random from a
/// file, in an open loop at a fixed rate over raw keep-alive connections (the ingestion load generator's run), one run per
/// endpoint. Latency counts from each request's due time, so a stall is charged to every request it delayed.
/// </summary>
internal static class ProfileLoad
{
    private static readonly string[] _headers =
    [
        "endpoint", "target/s", "req/s", "200", "errors", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "lag p50/p99", "sent→200 p50/p99", "gen CPU",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        ProfileLoadOptions options;
        try
        {
            options = ProfileLoadOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or UriFormatException)
        {
            await Console.Error.WriteLineAsync($"{e.Message}\n{ProfileLoadOptions.Usage}");
            return 2;
        }
        if (IngestionLoad.LoopbackEndPoint(options.Url) is not { } server)
        {
            await Console.Error.WriteLineAsync($"Refusing {options.Url}: the load generator only targets loopback addresses.");
            return 2;
        }
        var ids = await ProfileRequests.ReadIdentifiersAsync(options.IdsFile!);
        if (ids.Length == 0)
        {
            await Console.Error.WriteLineAsync($"{options.IdsFile} holds no type:value lines.");
            return 2;
        }
        var space = options.Space ?? await ProfileRequests.FindSpaceAsync(options.Url, options.ApiKey, ids[0], CancellationToken.None);
        if (space is null)
        {
            await Console.Error.WriteLineAsync($"No profile holds {ids[0]}, so the space is unknown: pass --space.");
            return 2;
        }

        var rows = new List<string[]> { _headers };
        foreach (var endpoint in options.Endpoints)
        {
            var requests = ids.Select(id => ProfileRequests.Get(ProfileRequests.PathOf(endpoint, space, id), options.Url.Authority, options.ApiKey)).ToArray();
            Console.Error.WriteLine($"{endpoint}: e.g. {ProfileRequests.PathOf(endpoint, space, ids[0])}; {ids.Length:N0} identifiers, " +
                $"open loop {options.Rate:0}/s, {options.Connections} connections, {options.Warmup.TotalSeconds:0}+{options.Duration.TotalSeconds:0} s");
            var run = new LoadRun(worker => RandomChoice(requests, options.Seed * 1000 + worker), () => new RawHttpConnection(server), options.Connections, options.Rate);
            var (stats, cpu) = await run.ExecuteAsync(options.Warmup, options.Duration);
            rows.Add(Row(endpoint, options, stats, cpu));
        }
        Console.Write(Align(rows, textColumns: 1));
        return 0;
    }

    // Each worker draws from its own generator: no shared state on the hot path.
    private static Func<PayloadRing.Template> RandomChoice(PayloadRing.Template[] requests, int seed)
    {
        var random = new Random(seed);
        return () => requests[random.Next(requests.Length)];
    }

    private static string[] Row(string endpoint, ProfileLoadOptions o, WorkerStats s, TimeSpan cpu)
    {
        var seconds = o.Duration.TotalSeconds;
        return
        [
            endpoint,
            F(o.Rate, 0),
            F(s.Answered / seconds, 0),
            F(s.Statuses[200], 0),
            Errors(s),
            Ms(s.Latency.Percentile(0.50)),
            Ms(s.Latency.Percentile(0.90)),
            Ms(s.Latency.Percentile(0.99)),
            Ms(s.Latency.Percentile(0.999)),
            Ms(s.Latency.Max),
            $"{Ms(s.StartLag.Percentile(0.50))}/{Ms(s.StartLag.Percentile(0.99))}",
            $"{Ms(s.Service.Percentile(0.50))}/{Ms(s.Service.Percentile(0.99))}",
            F(100 * cpu.TotalSeconds / seconds, 0) + "%",
        ];
    }

    private static string Ms(long micros) => F(micros / 1000.0, 2);
}
