using static Samlet.Benchmarks.Load.OptionValues;

namespace Samlet.Benchmarks.Load;

/// <summary>Command line of <c>Samlet.Benchmarks load</c>; see <see cref="Usage"/>.</summary>
internal sealed record LoadOptions
{
    public const string Usage = """
        Usage: Samlet.Benchmarks load [options]
          --url URL[,URL…]       server base address, loopback only (default http://127.0.0.1:5000); several
                                 (instances on one store): connections go to them in turn
          --write-key KEY        sent as Authorization: Basic base64(KEY:) (default bench-write-key)
          --path PATH            durable ingestion path (default /v1/batch)
          --ceiling-path PATH    also run every configuration against PATH (e.g. /_ceiling/v1/batch) and report the ratio
          --batch-sizes LIST     events per request (default 1,20,100)
          --connections C        concurrent connections (default 32)
          --duration SECONDS     measured time per run (default 10)
          --warmup SECONDS       unmeasured time before each run (default 2)
          --rate R               open loop at R requests/s instead of closed loop
          --client raw|http      raw sockets (default) or HttpClient with SocketsHttpHandler
          --json FILE            also write the results as JSON
          --print-request N      print one ready-to-send request of N events and exit
          --serve-ceiling PORT   TEST STUB ONLY: answer 200 to every request on 127.0.0.1:PORT
          --serve-seconds S      how long the test stub runs (default 600)
        """;

    public Uri[] Urls { get; init; } = [new("http://127.0.0.1:5000")];

    public Uri Url => Urls[0];
    public string WriteKey { get; init; } = "bench-write-key";
    public string Path { get; init; } = "/v1/batch";
    public string? CeilingPath { get; init; }
    public int[] BatchSizes { get; init; } = [1, 20, 100];
    public int Connections { get; init; } = 32;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);
    public double? Rate { get; init; }
    public string Client { get; init; } = "raw";
    public string? JsonFile { get; init; }
    public int? PrintRequest { get; init; }
    public int? ServeCeilingPort { get; init; }
    public TimeSpan ServeFor { get; init; } = TimeSpan.FromSeconds(600);

    /// <exception cref="ArgumentException">An option is unknown or its value is invalid.</exception>
    public static LoadOptions Parse(string[] args)
    {
        return OptionValues.Parse(args, new LoadOptions(), (o, name, value) => name switch
        {
            "--url" => o with { Urls = [.. value.Split(',').Select(u => new Uri(u.TrimEnd('/')))] },
            "--write-key" => o with { WriteKey = value },
            "--path" => o with { Path = value },
            "--ceiling-path" => o with { CeilingPath = value },
            "--batch-sizes" => o with { BatchSizes = [.. value.Split(',').Select(v => Positive(name, v))] },
            "--connections" => o with { Connections = Positive(name, value) },
            "--duration" => o with { Duration = Seconds(name, value) },
            "--warmup" => o with { Warmup = Seconds(name, value) },
            "--rate" => o with { Rate = Number(name, value) },
            "--client" => o with { Client = value is "raw" or "http" ? value : throw new ArgumentException("--client is raw or http.") },
            "--json" => o with { JsonFile = value },
            "--print-request" => o with { PrintRequest = Positive(name, value) },
            "--serve-ceiling" => o with { ServeCeilingPort = Positive(name, value) },
            "--serve-seconds" => o with { ServeFor = Seconds(name, value) },
            _ => throw new ArgumentException($"Unknown option {name}."),
        });
    }
}
