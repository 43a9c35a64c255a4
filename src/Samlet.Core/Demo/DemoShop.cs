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
