using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Samlet.Benchmarks.Ingestion;

/// <summary>
/// For microsecond operations: in process (no generated project under the strict build), BenchmarkDotNet's default
/// throughput strategy (many calls per iteration, tiered JIT settled), shortened iteration counts.
/// </summary>
public sealed class MicroConfig : ManualConfig
{
    public MicroConfig() =>
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(6).WithIterationCount(10));
}
