namespace Samlet.Benchmarks.Load;

/// <summary>
/// One configuration's figures, as printed and written to --json. Latencies are in milliseconds.
/// AckedEventsPerSecond counts events in 200 responses only: on the durable path, durable events/s.
/// </summary>
internal sealed record RunResult(
    string Target,
    string Path,
    string Mode,
    string Client,
    int BatchSize,
    int Connections,
    double? TargetRate,
    double Seconds,
    double EventBytes,
    long Requests,
    long Ok,
    double RequestsPerSecond,
    double AckedEventsPerSecond,
    Dictionary<string, long> Errors,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double MaxMs,
    double StartLagP50Ms,
    double StartLagP99Ms,
    double CpuSeconds,
    double CpuPercentOfOneCore,
    double CpuMicrosPerRequest)
{
    /// <summary>Closed loop, durable path: acked events/s ÷ the ceiling path's acked events/s at the same batch size.</summary>
    public double? CeilingRatio { get; init; }
}
