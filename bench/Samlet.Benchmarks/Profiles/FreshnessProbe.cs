namespace Samlet.Benchmarks.Profiles;

/// <summary>
/// One identify event whose trait is awaited: the request that reads it back, the bytes that show it is there, and
/// when the Tracking API acknowledged it (Stopwatch timestamp). Owned by one poller at a time.
/// </summary>
internal sealed class FreshnessProbe(byte[] pollRequest, byte[] expected, long ackedAt, bool measured)
{
    public byte[] PollRequest { get; } = pollRequest;

    /// <summary><c>"bench_token":"VALUE"</c> as the traits answer writes it.</summary>
    public byte[] Expected { get; } = expected;

    public long AckedAt { get; } = ackedAt;

    /// <summary>Due inside the measured window (not in the warm-up).</summary>
    public bool Measured { get; } = measured;

    /// <summary>When the next read may be sent (Stopwatch timestamp).</summary>
    public long NextPoll { get; set; } = ackedAt;
}
