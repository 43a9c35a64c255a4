using System.Diagnostics;
using System.Security.Cryptography;
using Samlet.Benchmarks.Load;
using static Samlet.Benchmarks.Load.ResultTable;

namespace Samlet.Benchmarks.Profiles;

/// <summary>
/// <c>Samlet.Benchmarks freshness ...</c>: how long after the Tracking API's 200 OK an identify event's trait can be read
/// through the Profile API (<see cref="FreshnessRun"/>), against a running server with its pipeline on.
/// </summary>
internal static class Freshness
{
    private static readonly string[] _headers =
    [
        "events/s", "sent", "200", "errors", "ack p50/p99 ms", "readable", "never", "fresh p50 ms", "p90 ms", "p99 ms", "max ms",
        "reads/s", "reads/event", "gen CPU",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        FreshnessOptions options;
        try
        {
            options = FreshnessOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or UriFormatException)
        {
            await Console.Error.WriteLineAsync($"{e.Message}\n{FreshnessOptions.Usage}");
            return 2;
        }
        if (IngestionLoad.LoopbackEndPoint(options.Url) is not { } server)
        {
            await Console.Error.WriteLineAsync($"Refusing {options.Url}: the load generator only targets loopback addresses.");
            return 2;
        }

        var runId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var space = options.Space;
        // A first event (number 0, not measured) warms up both paths and, when no --space was given, shows the workspace.
        var first = new FreshnessRun(options, server, space ?? "", runId);
        using (var connection = new RawHttpConnection(server))
        {
            var (status, _) = await connection.ExchangeAsync(first.IdentifyRequest(0), CancellationToken.None);
            if (status != 200)
            {
                await Console.Error.WriteLineAsync($"POST /v1/batch answered {status}: is {options.WriteKey} a write key of this server?");
                return 1;
            }
        }
        var waited = Stopwatch.StartNew();
        string? found = null;
        while (found is null && waited.Elapsed < options.GiveUp)
        {
            found = await ProfileRequests.FindSpaceAsync(options.Url, options.ApiKey, "user_id:" + first.UserIdOf(0), CancellationToken.None);
            if (found is null)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20));
            }
        }
        if (found is null)
        {
            await Console.Error.WriteLineAsync($"The first event's profile did not appear within {options.GiveUp.TotalSeconds:0} s (is the pipeline on?).");
            return 1;
        }
        space ??= found;

        Console.Error.WriteLine($"freshness: identify events at {options.Rate:0}/s for {options.Warmup.TotalSeconds:0}+{options.Duration.TotalSeconds:0} s " +
            $"(space {space}); each read every {options.PollInterval.TotalMilliseconds:0} ms on {options.Pollers} connections until its trait shows");
        var (stats, cpu) = await new FreshnessRun(options, server, space, runId).ExecuteAsync();
        var seconds = options.Duration.TotalSeconds;
        var pollErrors = stats.PollStatuses.Select((count, status) => (count, status))
            .Where(x => x.count > 0 && x.status is not (200 or 404))
            .Select(x => $"read {StatusName(x.status)}:{x.count}");
        var sendErrors = Errors(stats.Sends);
        string[] row =
        [
            F(options.Rate, 0),
            F(stats.Sends.StartLag.Count, 0),
            F(stats.Sends.Statuses[200], 0),
            string.Join(' ', pollErrors.Prepend(sendErrors == "0" ? "" : sendErrors)).Trim() is { Length: > 0 } errors ? errors : "0",
            $"{Ms(stats.Sends.Latency.Percentile(0.50))}/{Ms(stats.Sends.Latency.Percentile(0.99))}",
            F(stats.Readable, 0),
            F(stats.Sends.Statuses[200] - stats.Readable, 0), // given up, or still open when the run had to stop
            Ms(stats.Freshness.Percentile(0.50)),
            Ms(stats.Freshness.Percentile(0.90)),
            Ms(stats.Freshness.Percentile(0.99)),
            Ms(stats.Freshness.Max),
            F(stats.Polls / (options.Warmup + options.Duration).TotalSeconds, 0),
            F(stats.Polls / Math.Max(1.0, stats.Readable + stats.NeverReadable), 1),
            F(100 * cpu.TotalSeconds / seconds, 0) + "%",
        ];
        Console.Write(Align([_headers, row], textColumns: 0));
        return 0;
    }

    private static string Ms(long micros) => F(micros / 1000.0, 1);
}
