namespace Samlet.Benchmarks.Load;

/// <summary>What one worker measured; merged after the run so the hot path takes no locks.</summary>
internal sealed class WorkerStats
{
    public const int ConnectionError = 0;
    public const int Timeout = 1;

    /// <summary>Ack latency: 200 responses only, so fast error answers cannot flatter it.</summary>
    public LatencyHistogram Latency { get; } = new();

    /// <summary>
    /// 200 responses only: from the moment the request actually left to its answer. Against <see cref="Latency"/>, it
    /// tells a slow server from a generator that sent late (its pacer starved of CPU, or every connection busy).
    /// </summary>
    public LatencyHistogram Service { get; } = new();

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
            Service.Record(latencyMicros - lagMicros);
        }
    }

    /// <summary>Requests that got an HTTP answer, whatever its status.</summary>
    public long Answered => Statuses.Skip(100).Sum();

    public void Add(WorkerStats other)
    {
        Latency.Add(other.Latency);
        Service.Add(other.Service);
        StartLag.Add(other.StartLag);
        for (var i = 0; i < Statuses.Length; i++)
        {
            Statuses[i] += other.Statuses[i];
        }
    }
}
