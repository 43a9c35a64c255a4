namespace Samlet.Benchmarks.Load;

/// <summary>What one worker measured; merged after the run so the hot path takes no locks.</summary>
internal sealed class WorkerStats
{
    public const int ConnectionError = 0;
    public const int Timeout = 1;

    /// <summary>Ack latency: 200 responses only, so fast error answers cannot flatter it.</summary>
    public LatencyHistogram Latency { get; } = new();

    /// <summary>Every request sent: how late it left after its due time (open loop: timer slop or too few connections).</summary>
    public LatencyHistogram StartLag { get; } = new();

    /// <summary>Count per HTTP status; slots 0 and 1 hold connection errors and timeouts.</summary>
    public long[] Statuses { get; } = new long[600];

    public void Record(int status, long latencyMicros, long lagMicros)
    {
        Statuses[(uint)status < 600 ? status : ConnectionError]++;
        StartLag.Record(lagMicros);
        if (status == 200)
        {
            Latency.Record(latencyMicros);
        }
    }

    /// <summary>Requests that got an HTTP answer, whatever its status.</summary>
    public long Answered => Statuses.Skip(100).Sum();

    public void Add(WorkerStats other)
    {
        Latency.Add(other.Latency);
        StartLag.Add(other.StartLag);
        for (var i = 0; i < Statuses.Length; i++)
        {
            Statuses[i] += other.Statuses[i];
        }
    }
}
