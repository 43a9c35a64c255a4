using static Samlet.Benchmarks.Load.OptionValues;

namespace Samlet.Benchmarks.Audiences;

/// <summary>Command line of <c>Samlet.Benchmarks audiences</c>; see <see cref="Usage"/>.</summary>
internal sealed record AudienceBenchOptions
{
    public const string Usage = """
        Usage: Samlet.Benchmarks audiences [options]
          --profiles N          synthetic profiles written straight into a fresh store (default 100000)
          --postgres CONN       a PostgreSQL server: the store is a new database on it, dropped afterwards (default: SQLite in a temp folder)
          --chunk N             profiles per ApplyAsync while generating (default 5000)
          --preview-runs N      runs of the three-condition preview (default 5)
          --audiences N         audiences put before the full recompute (default 100)
          --rate R              background ingestion, demo events per second (default 3000; 0: none)
          --batch N             events per background append (default 100)
          --probe-ms MS         one probe identify every MS milliseconds (default 50)
          --duration SECONDS    measured latency run (default 20)
          --warmup SECONDS      unmeasured time before it (default 3)
          --poll-ms MS          interval between two membership reads of a pending probe (default 5)
          --phases LIST         any of generate,preview,recompute,latency (default all; generate always runs)
          --seed N              of the synthetic profiles (default 1)
        """;

    public int Profiles { get; init; } = 100_000;
    public string? Postgres { get; init; }
    public int Chunk { get; init; } = 5_000;
    public int PreviewRuns { get; init; } = 5;
    public int Audiences { get; init; } = 100;
    public double Rate { get; init; } = 3_000;
    public int Batch { get; init; } = 100;
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromMilliseconds(50);
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(5);
    public IReadOnlySet<string> Phases { get; init; } = new HashSet<string>(["preview", "recompute", "latency"], StringComparer.Ordinal);
    public int Seed { get; init; } = 1;

    /// <exception cref="ArgumentException">An option is unknown or its value is invalid.</exception>
    public static AudienceBenchOptions Parse(string[] args)
    {
        return Load.OptionValues.Parse(args, new AudienceBenchOptions(), (o, name, value) => name switch
        {
            "--profiles" => o with { Profiles = Positive(name, value) },
            "--postgres" => o with { Postgres = value },
            "--chunk" => o with { Chunk = Positive(name, value) },
            "--preview-runs" => o with { PreviewRuns = Positive(name, value) },
            "--audiences" => o with { Audiences = Positive(name, value) },
            "--rate" => o with { Rate = value == "0" ? 0 : Number(name, value) },
            "--batch" => o with { Batch = Positive(name, value) },
            "--probe-ms" => o with { ProbeInterval = TimeSpan.FromMilliseconds(Number(name, value)) },
            "--duration" => o with { Duration = Seconds(name, value) },
            "--warmup" => o with { Warmup = Seconds(name, value) },
            "--poll-ms" => o with { PollInterval = TimeSpan.FromMilliseconds(Number(name, value)) },
            "--phases" => o with { Phases = PhaseList(value) },
            "--seed" => o with { Seed = Positive(name, value) },
            _ => throw new ArgumentException($"Unknown option {name}."),
        });
    }

    private static HashSet<string> PhaseList(string value)
    {
        var phases = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = phases.Except(["generate", "preview", "recompute", "latency"]).ToList();
        return unknown.Count == 0 ? phases : throw new ArgumentException($"--phases: unknown phase {string.Join(", ", unknown)}; use generate, preview, recompute, latency.");
    }
}
