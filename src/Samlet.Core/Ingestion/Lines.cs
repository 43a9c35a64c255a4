using System.Buffers;
using System.Runtime.CompilerServices;

namespace Samlet.Ingestion;

/// <summary>Splits a stream into lines of bytes without decoding them; a line is valid until the next one is read.</summary>
internal static class Lines
{
    /// <summary>
    /// The lines of <paramref name="stream"/>. One longer than <paramref name="maxLineBytes"/> is not buffered whole (a
    /// file that is one big JSON document would otherwise fill memory): its first <paramref name="maxLineBytes"/> come
    /// with <c>Cut</c> set, and the rest of it is skipped.
    /// </summary>
    public static async IAsyncEnumerable<(ReadOnlyMemory<byte> Line, bool Cut)> ReadAsync(Stream stream, int maxLineBytes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(1 << 20, maxLineBytes + 1));
        try
        {
            int start = 0, end = 0;
            var skipping = false;
            while (true)
            {
                var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    if (!skipping)
                    {
                        yield return newline > maxLineBytes ? (buffer.AsMemory(start, maxLineBytes), true) : (buffer.AsMemory(start, newline), false);
                    }

                    skipping = false;
                    start += newline + 1;
                    continue;
                }

                if (skipping)
                {
                    start = end = 0; // the rest of a cut line: dropped as it comes
                }
                else if (end - start > maxLineBytes)
                {
                    yield return (buffer.AsMemory(start, maxLineBytes), true);
                    skipping = true;
                    start = end = 0;
                }

                if (start > 0)
                {
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    end -= start;
                    start = 0;
                }

                if (end == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, end).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken);
                if (read == 0)
                {
                    if (end > start && !skipping)
                    {
                        yield return end - start > maxLineBytes ? (buffer.AsMemory(start, maxLineBytes), true) : (buffer.AsMemory(start, end - start), false);
                    }

                    yield break;
                }

                end += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
