using BenchmarkDotNet.Attributes;
using Samlet.Analytics.Attribution;

namespace Samlet.Benchmarks.Analytics;

/// <summary>Attribution on ChannelAttribution's PathData (10,000 paths, 12 channels). Not sealed: BenchmarkDotNet derives from it.</summary>
[MemoryDiagnoser]
public class AttributionBenchmarks
{
    private IReadOnlyList<ConversionPath> _paths = null!;

    [GlobalSetup]
    public void Setup() => _paths = ConversionPathCsv.Read(FixtureFiles.Find("attribution", "paths.csv"));

    /// <summary>Exact removal effects: one linear solve per channel plus the base chain.</summary>
    [Benchmark]
    public double Markov_on_10000_paths() => AttributionAnalysis.RunMarkov(_paths).ConversionProbability;

    [Benchmark]
    public int All_models_on_10000_paths() => AttributionAnalysis.Run(_paths).Channels.Count;

    [Benchmark]
    public int Read_paths_csv() => ConversionPathCsv.Read(FixtureFiles.Find("attribution", "paths.csv")).Count;
}
