namespace Samlet.Demo;

/// <summary>
/// A deterministic synthetic year of a web shop, as Segment HTTP Tracking API messages in time order.
/// Write it as JSON Lines with <see cref="WriteJsonLines"/>, or enumerate <see cref="Events"/> and batch
/// it into an ingestion pipeline (e.g. <c>shop.Events().Chunk(500)</c>). Generation is streaming:
/// memory does not grow with the number of events. See docs/demo-data.md for the model.
/// </summary>
public sealed class DemoShop
{
    private const int ProgressEvery = 16_384;

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
    /// reporting progress about every 16k lines. Returns the totals.
    /// </summary>
    public DemoStats WriteJsonLines(Stream output, IProgress<DemoStats>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var context = new DemoContext(Options);
        var stream = new DemoEventStream(context);
        var span = (double)(context.EndMs - context.StartMs);
        using var buffered = new BufferedStream(output, 1 << 20);
        long events = 0;
        long bytes = 0;
        while (stream.MoveNext())
        {
            var line = stream.Current;
            buffered.Write(line);
            buffered.WriteByte((byte)'\n');
            events++;
            bytes += line.Length + 1;
            if (events % ProgressEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new DemoStats(events, bytes, (stream.CurrentTimestampMs - context.StartMs) / span));
            }
        }

        buffered.Flush();
        var result = new DemoStats(events, bytes, 1.0);
        progress?.Report(result);
        return result;
    }
}
