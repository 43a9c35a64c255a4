using static Samlet.Benchmarks.Load.OptionValues;

namespace Samlet.Benchmarks.Profiles;

/// <summary>Command line of <c>Samlet.Benchmarks profiles</c>; see <see cref="Usage"/>.</summary>
internal sealed record ProfileLoadOptions
{
    public const string Usage = """
        Usage: Samlet.Benchmarks profiles --ids FILE [options]
          --url URL            server base address, loopback only (default http://127.0.0.1:5000)
          --api-key KEY        sent as Authorization: Bearer KEY (default bench-admin-key)
          --ids FILE           identifiers to ask for, one type:value per line (e.g. user_id:user_100094)
          --space ID           workspace id for the Segment paths (default: workspaceId of the first identifier's profile)
          --endpoints LIST     any of traits, metadata, external_ids, events, links, profile (native /api/profiles/{id})
                               (default traits,metadata,profile); one run each
          --rate R             open loop at R requests/s (default 5000)
          --connections C      concurrent connections (default 32)
          --duration SECONDS   measured time per run (default 10)
          --warmup SECONDS     unmeasured time before each run (default 3)
          --seed N             seed of the random choice of identifiers (default 1)
        """;

    public Uri Url { get; init; } = new("http://127.0.0.1:5000");
    public string ApiKey { get; init; } = "bench-admin-key";
    public string? IdsFile { get; init; }
    public string? Space { get; init; }
    public string[] Endpoints { get; init; } = ["traits", "metadata", "profile"];
    public double Rate { get; init; } = 5000;
    public int Connections { get; init; } = 32;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);
    public int Seed { get; init; } = 1;

    /// <exception cref="ArgumentException">An option is unknown or its value is invalid.</exception>
    public static ProfileLoadOptions Parse(string[] args)
    {
        var options = Load.OptionValues.Parse(args, new ProfileLoadOptions(), (o, name, value) => name switch
        {
            "--url" => o with { Url = new Uri(value.TrimEnd('/')) },
            "--api-key" => o with { ApiKey = value },
            "--ids" => o with { IdsFile = value },
            "--space" => o with { Space = value },
            "--endpoints" => o with { Endpoints = [.. value.Split(',').Select(e => ProfileRequests.IsEndpoint(e) ? e : throw new ArgumentException($"Unknown endpoint {e}."))] },
            "--rate" => o with { Rate = Number(name, value) },
            "--connections" => o with { Connections = Positive(name, value) },
            "--duration" => o with { Duration = Seconds(name, value) },
            "--warmup" => o with { Warmup = Seconds(name, value) },
            "--seed" => o with { Seed = Positive(name, value) },
            _ => throw new ArgumentException($"Unknown option {name}."),
        });
        return options.IdsFile is null ? throw new ArgumentException("--ids FILE is required.") : options;
    }
}
