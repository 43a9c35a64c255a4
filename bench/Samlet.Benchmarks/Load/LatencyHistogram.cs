using System.Numerics;

namespace Samlet.Benchmarks.Load;

/// <summary>
/// Log-linear histogram of microseconds: exact below 256 µs, then 128 linear sub-buckets per power of two,
/// so any reported percentile is within 0.8% of the true value. One per worker (no locking), merged at the end.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBits = 7;
    private const int Sub = 1 << SubBits;     // 128 sub-buckets per octave
    private const int Exact = 2 * Sub;        // values below 256 get a bucket each
    private readonly long[] _counts = new long[Exact + (64 - SubBits) * Sub];

    public long Count { get; private set; }

    public long Max { get; private set; }

    public void Record(long micros)
    {
        micros = Math.Max(0, micros);
        _counts[Index(micros)]++;
        Count++;
        Max = Math.Max(Max, micros);
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }
        Count += other.Count;
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>The highest value of the bucket holding the q-quantile (0 &lt; q ≤ 1), capped at the maximum seen.</summary>
    public long Percentile(double q)
    {
        if (Count == 0)
        {
            return 0;
        }
        var rank = Math.Max(1, (long)Math.Ceiling(q * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(Max, UpperBound(i));
            }
        }
        return Max;
    }

    internal static int Index(long v)
    {
        if (v < Exact)
        {
            return (int)v;
        }
        var shift = 63 - BitOperations.LeadingZeroCount((ulong)v) - SubBits; // ≥ 1: keep the top 8 bits
        return Exact + (shift - 1) * Sub + (int)(v >> shift) - Sub;
    }

    internal static long UpperBound(int index)
    {
        if (index < Exact)
        {
            return index;
        }
        var shift = (index - Exact) / Sub + 1;
        var top = (index - Exact) % Sub + Sub;
        return ((top + 1L) << shift) - 1;
    }
}
