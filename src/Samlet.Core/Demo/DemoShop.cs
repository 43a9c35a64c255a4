using System.Buffers;

namespace Samlet.Demo;

/// <summary>
/// A deterministic synthetic year of a web shop, as Segment HTTP Tracking API messages in time order.
/// Write it as JSON Lines with <see cref="WriteJsonLines"/>, or enumerate <see cref="Events"/> and batch
/// it into an ingestion pipeline (e.g. <c>shop.Events().Chunk(500)</c>). Generation is streaming:
/// memory does not grow with the number of events. See docs/demo-data.md for the model.
/// </summary>
public sealed class DemoShop
{
    private const int ProgressEvery = 4096;

    public DemoShop(DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        var context = new DemoContext(options);
        Start = DateTimeOffset.FromUnixTimeMilliseconds(context.StartMs);
        End = DateTimeOffset.FromUnixTimeMilliseconds(context.EndMs);
    }

    public DemoOptions Options { get; }

    /// <summary>Earliest possible event time (End - Days).</summary>
    public DateTimeOffset Start { get; }

    /// <summary>Latest possible event time.</summary>
    public DateTimeOffset End { get; }

    /// <summary>
    /// All lines in timestamp order. Each <see cref="DemoEvent.Line"/> is a fresh copy the caller may keep.
    /// Every enumeration starts over and yields the same sequence.
    /// </summary>
    public IEnumerable<DemoEvent> Events()
    {
        var stream = new DemoEventStream(new DemoContext(Options));
        while (stream.MoveNext())
        {
            yield return new DemoEvent(DateTimeOffset.FromUnixTimeMilliseconds(stream.CurrentTimestampMs), stream.Current.ToArray());
        }
    }

    /// <summary>
    /// The lines as <c>POST /v1/batch</c> request bodies, <c>{"batch":[...]}</c>, of at most
    /// <paramref name="maxEvents"/> events each (about 1 KB per event, so 100 stays far below the
    /// 500 KB Segment limit). There is no <c>sentAt</c>, so a receiver keeps the historical timestamps.
    /// A malformed line is sent on its own, as a body that is not JSON.
    /// </summary>
    public IEnumerable<ReadOnlyMemory<byte>> BatchRequests(int maxEvents = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEvents, 1);
        var stream = new DemoEventStream(new DemoContext(Options));
        var body = new ArrayBufferWriter<byte>(256 * 1024);
        var count = 0;
        while (stream.MoveNext())
        {
            if (stream.CurrentIsMalformed)
            {
                if (count > 0)
                {
                    yield return Close(body);
                    count = 0;
                }

                yield return stream.Current.ToArray();
                continue;
            }

            body.Write(count == 0 ? "{\"batch\":["u8 : ","u8);
            body.Write(stream.Current);
            if (++count == maxEvents)
            {
                yield return Close(body);
                count = 0;
            }
        }

        if (count > 0)
        {
            yield return Close(body);
        }

        static byte[] Close(ArrayBufferWriter<byte> body)
        {
            body.Write("]}"u8);
            var bytes = body.WrittenSpan.ToArray();
            body.ResetWrittenCount();
            return bytes;
        }
    }

    /// <summary>
    /// Writes every line followed by '\n' to <paramref name="output"/> (which this method does not close),
    /// reporting progress every 4096 lines. Returns the totals.
    /// </summary>
    public DemoStats WriteJsonLines(Stream output, IProgress<DemoStats>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var context = new DemoContext(Options);
        var stream = new DemoEventStream(context);
        var span = (double)(context.EndMs - context.StartMs);
        var buffer = new byte[1 << 20];
        var used = 0;
        long events = 0;
        long bytes = 0;
        while (stream.MoveNext())
        {
            var line = stream.Current;
            if (used + line.Length + 1 > buffer.Length)
            {
                output.Write(buffer, 0, used);
                used = 0;
                if (line.Length + 1 > buffer.Length)
                {
                    Array.Resize(ref buffer, line.Length + 1);
                }
            }

            line.CopyTo(buffer.AsSpan(used));
            buffer[used + line.Length] = (byte)'\n';
            used += line.Length + 1;
            events++;
            bytes += line.Length + 1;
            if (events % ProgressEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new DemoStats(events, bytes, (stream.CurrentTimestampMs - context.StartMs) / span));
            }
        }

        output.Write(buffer, 0, used);
        output.Flush();
        var result = new DemoStats(events, bytes, 1.0);
        progress?.Report(result);
        return result;
    }
}
