using static Samlet.Benchmarks.Load.OptionValues;

namespace Samlet.Benchmarks.Profiles;

/// <summary>Command line of <c>Samlet.Benchmarks freshness</c>; see <see cref="Usage"/>.</summary>
internal sealed record FreshnessOptions
{
    public const string Usage = """
        Usage: Samlet.Benchmarks freshness [options]
          --url URL            server base address, loopback only (default http://127.0.0.1:5000)
          --write-key KEY      for POST /v1/batch, sent as Basic base64(KEY:) (default bench-write-key)
          --api-key KEY        for the Profile API, sent as Bearer (default bench-admin-key)
          --space ID           workspace id for the Segment paths (default: found through the native API after a first event)
          --rate R             identify events per second, open loop (default 200)
          --duration SECONDS   measured time (default 20)
          --warmup SECONDS     unmeasured time before it (default 3)
          --poll-ms MS         interval between two reads of one event's trait (default 10)
          --senders N          connections sending events (default 4)
          --pollers N          connections reading the Profile API (default 16)
          --give-up SECONDS    an event whose trait is not readable by then counts as never readable (default 30)
        """;

    public Uri Url { get; init; } = new("http://127.0.0.1:5000");
    public string WriteKey { get; init; } = "bench-write-key";
    public string ApiKey { get; init; } = "bench-admin-key";
    public string? Space { get; init; }
    public double Rate { get; init; } = 200;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(10);
    public int Senders { get; init; } = 4;
    public int Pollers { get; init; } = 16;
    public TimeSpan GiveUp { get; init; } = TimeSpan.FromSeconds(30);

    /// <exception cref="ArgumentException">An option is unknown or its value is invalid.</exception>
    public static FreshnessOptions Parse(string[] args)
    {
        return Load.OptionValues.Parse(args, new FreshnessOptions(), (o, name, value) => name switch
        {
            "--url" => o with { Url = new Uri(value.TrimEnd('/')) },
            "--write-key" => o with { WriteKey = value },
            "--api-key" => o with { ApiKey = value },
            "--space" => o with { Space = value },
            "--rate" => o with { Rate = Number(name, value) },
            "--duration" => o with { Duration = Seconds(name, value) },
            "--warmup" => o with { Warmup = Seconds(name, value) },
            "--poll-ms" => o with { PollInterval = TimeSpan.FromMilliseconds(Number(name, value)) },
            "--senders" => o with { Senders = Positive(name, value) },
            "--pollers" => o with { Pollers = Positive(name, value) },
            "--give-up" => o with { GiveUp = Seconds(name, value) },
            _ => throw new ArgumentException($"Unknown option {name}."),
        });
    }
}
