using Samlet.Benchmarks.Load;

namespace Samlet.Benchmarks.Profiles;

/// <summary>What one sender or poller of a freshness run measured; merged at the end so the hot path takes no locks.</summary>
internal sealed class FreshnessStats
{
    /// <summary>Acknowledged events (200) per measured slot; <see cref="WorkerStats.Latency"/> is the ack latency from the due time.</summary>
    public WorkerStats Sends { get; } = new();

    /// <summary>From the 200 OK of the event to the end of the first read that showed its trait, in µs.</summary>
    public LatencyHistogram Freshness { get; } = new();

    /// <summary>Reads of the Profile API by status (404 until the profile exists); slot 0 counts connection errors.</summary>
    public long[] PollStatuses { get; } = new long[600];

    public long Polls { get; set; }

    public long Readable { get; set; }

    public long NeverReadable { get; set; }

    public void Add(FreshnessStats other)
    {
        Sends.Add(other.Sends);
        Freshness.Add(other.Freshness);
        for (var i = 0; i < PollStatuses.Length; i++)
        {
            PollStatuses[i] += other.PollStatuses[i];
        }
        Polls += other.Polls;
        Readable += other.Readable;
        NeverReadable += other.NeverReadable;
    }
}
