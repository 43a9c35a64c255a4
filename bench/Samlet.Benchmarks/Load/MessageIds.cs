using System.Text;

namespace Samlet.Benchmarks.Load;

/// <summary>
/// GUID-shaped messageIds that are unique across runs and cheap to make: a random 64-bit prefix per process
/// followed by a 64-bit counter, written as hex straight into the request bytes (no Guid.NewGuid per event).
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
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            if (i == 4)
            {
                digits[i] = (byte)'-';
                continue;
            }
            digits[i] = "0123456789abcdef"u8[(int)(n & 0xF)];
            n >>= 4;
        }
    }
}
