namespace Samlet.Benchmarks.Load;

/// <summary>What one worker measured; merged after the run so the hot path takes no locks.</summary>
internal sealed class WorkerStats
{
    public const int ConnectionError = 0;
    public const int Timeout = 1;

    public LatencyHistogram Latency { get; } = new();

    /// <summary>Open loop: how late each request left after its scheduled time (timer slop or too few connections).</summary>
    public LatencyHistogram StartLag { get; } = new();

    /// <summary>Count per HTTP status; slots 0 and 1 hold connection errors and timeouts.</summary>
    public long[] Statuses { get; } = new long[600];

    /// <summary>Every request sent, warm-up included, to divide the generator's CPU time by.</summary>
    public long Sent { get; set; }

    public void Record(int status, long latencyMicros, long lagMicros)
    {
        Statuses[(uint)status < 600 ? status : ConnectionError]++;
        Latency.Record(latencyMicros);
        StartLag.Record(lagMicros);
    }

    public void Add(WorkerStats other)
    {
        Latency.Add(other.Latency);
        StartLag.Add(other.StartLag);
        for (var i = 0; i < Statuses.Length; i++)
        {
            Statuses[i] += other.Statuses[i];
        }
        Sent += other.Sent;
    }
}
