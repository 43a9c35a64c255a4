using System.Text;

namespace Samlet.Benchmarks.Load;

/// <summary>
/// GUID-shaped messageIds that are unique across runs, in random order like the UUIDs that SDKs send, and cheap to make:
/// a random 64-bit prefix per process followed by a 64-bit counter scrambled by a bijection (SplitMix64's finaliser),
/// written as hex straight into the request bytes (no Guid.NewGuid per event). Ids in counter order would let the store
/// append to its de-duplication index at the end, which real traffic never does (4.3x the durable rate, ADR 13).
/// </summary>
internal sealed class MessageIds
{
    private readonly byte[] _prefix; // "xxxxxxxx-xxxx-xxxx-"
    private long _next;

    public MessageIds()
    {
        _prefix = Encoding.ASCII.GetBytes(Guid.NewGuid().ToString()[..19]);
    }

    public long Reserve(int count) => Interlocked.Add(ref _next, count) - count;

    /// <summary>Writes id number <paramref name="n"/> as "prefix-cccc-cccccccccccc" into 36 bytes.</summary>
    public void Format(long n, Span<byte> destination)
    {
        _prefix.CopyTo(destination);
        var digits = destination[19..];
        var bits = Scramble((ulong)n);
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            if (i == 4)
            {
                digits[i] = (byte)'-';
                continue;
            }
            digits[i] = "0123456789abcdef"u8[(int)(bits & 0xF)];
            bits >>= 4;
        }
    }

    /// <summary>One-to-one (each step can be undone), so distinct counters stay distinct ids.</summary>
    private static ulong Scramble(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
        return z ^ (z >> 31);
    }
}
