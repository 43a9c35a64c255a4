using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Samlet.Events;
using Samlet.Storage;

namespace Samlet.Ingestion;

/// <summary>
/// Bulk import of Segment events from JSONL or CSV (<see cref="CsvMessages"/>), optionally gzip: each line or row goes
/// through the same normaliser as the Tracking API; those that are not valid go to the rejected-events log with their
/// line or row number. Parsing and writing run in parallel, and events without a messageId get one from their content,
/// so importing a file twice stores each event once. A file that cannot be read on (bad gzip, broken CSV) ends the
/// import with an <see cref="InvalidDataException"/> after what came before it was stored.
/// </summary>
public sealed class EventImporter(EventNormalizer normalizer, TimeProvider time)
{
    private const int BatchSize = 10_000; // its list of events stays below the large object heap's 85,000 bytes

    /// <summary>Lines up to this long are read whole (an event over the event size limit is then refused with its size).</summary>
    internal const int MaxLineBytes = 16 << 20;
    private static readonly JsonDocumentOptions _options = new() { MaxDepth = 64 };

    /// <param name="log">Where the events go.</param>
    /// <param name="input">JSONL or CSV, gzip-compressed or not (recognised by its magic bytes).</param>
    /// <param name="format">How to read <paramref name="input"/>.</param>
    /// <param name="progress">Receives the number of input bytes consumed so far.</param>
    public async Task<ImportResult> ImportAsync(IEventLog log, Stream input, string sourceId, ImportFormat format, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        await log.DeduplicateWholeHistoryAsync(sourceId, cancellationToken);
        long stored = 0, duplicates = 0, rejected = 0;
        var last = await ForEachBatchAsync(input, sourceId, format, progress, async batch =>
        {
            var result = await log.AppendAsync(batch.Events, batch.Rejected, cancellationToken);
            stored += result.Stored;
            duplicates += result.Duplicates;
            rejected += result.Rejected;
        }, cancellationToken);
        return new ImportResult(format.Count(last), stored, duplicates, rejected, format.Plural);
    }

    /// <summary>
    /// Reads and validates <paramref name="input"/> as an import would, and stores nothing: how many events it holds,
    /// the first <paramref name="examples"/> as they would be stored, and the first rejections with their reasons. The
    /// event log is append-only: a mapping is better seen before it is imported.
    /// </summary>
    public async Task<ImportPreview> PreviewAsync(Stream input, ImportFormat format, int examples, CancellationToken cancellationToken)
    {
        long valid = 0, rejected = 0;
        var events = new List<string>();
        var rejections = new List<string>();
        var last = await ForEachBatchAsync(input, "src_preview", format, null, batch =>
        {
            events.AddRange(batch.Events.Take(examples - events.Count).Select(e => Encoding.UTF8.GetString(e.Payload.Span)));
            rejections.AddRange(batch.Rejected.Take(examples - rejections.Count).Select(r => r.Reason));
            valid += batch.Events.Count;
            rejected += batch.Rejected.Count;
            return Task.CompletedTask;
        }, cancellationToken);
        return new ImportPreview(format.Count(last), format.Plural, valid, rejected, events, rejections);
    }

    /// <summary>Parses on one thread and hands each batch to <paramref name="consume"/> on this one; returns the last line or row number.</summary>
    private async Task<long> ForEachBatchAsync(Stream input, string sourceId, ImportFormat format, IProgress<long>? progress, Func<Batch, Task> consume, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var batches = Channel.CreateBounded<Batch>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(() => ProduceAsync(input, sourceId, format, batches.Writer, progress, stop.Token), stop.Token);
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
            {
                try
                {
                    await consume(batch);
                }
                finally
                {
                    batch.Payloads.Dispose();
                }
            }
        }
        catch
        {
            await stop.CancelAsync(); // the reader waiting for room in the channel would wait for ever
            throw;
        }

        return await producer;
    }

    private async Task<long> ProduceAsync(Stream input, string sourceId, ImportFormat format, ChannelWriter<Batch> output, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        try
        {
            var counting = new CountingStream(input);
            await using var source = await IsGzipAsync(counting, cancellationToken) ? new GZipStream(counting, CompressionMode.Decompress, leaveOpen: true) : (Stream)counting;
            var batch = NewBatch();
            long last = 0;
            var records = format.Csv ? CsvMessages.ReadAsync(source, format.CsvType, cancellationToken) : JsonLinesAsync(source, cancellationToken);
            try
            {
                await foreach (var record in records)
                {
                    last = record.Number;
                    var request = new IngestContext(sourceId, time.GetUtcNow(), null, MissingMessageIds.ContentHash);
                    Add(batch, record, format.Unit, request);
                    if (batch.Events.Count + batch.Rejected.Count >= BatchSize)
                    {
                        await output.WriteAsync(batch, cancellationToken);
                        progress?.Report(counting.Position);
                        batch = NewBatch();
                    }
                }
            }
            catch (InvalidDataException)
            {
                await output.WriteAsync(batch, cancellationToken); // what the file held before the point it broke
                throw;
            }

            await output.WriteAsync(batch, cancellationToken);
            progress?.Report(counting.Position);
            return last;
        }
        finally
        {
            output.TryComplete();
        }
    }

    private static async IAsyncEnumerable<ImportRecord> JsonLinesAsync(Stream source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long lineNumber = 0;
        await foreach (var (line, cut) in Lines.ReadAsync(source, MaxLineBytes, cancellationToken))
        {
            lineNumber++;
            if (cut)
            {
                // Its first kilobyte goes to the rejected-events log, enough to see what the file is.
                yield return new ImportRecord(line[..1024], lineNumber, $"longer than {MaxLineBytes >> 20} MB: a line holds one event (is the file one JSON document instead of JSONL?).");
            }
            else if (!IsBlank(line.Span))
            {
                yield return new ImportRecord(line, lineNumber, null);
            }
        }
    }

    private void Add(Batch batch, in ImportRecord record, string unit, in IngestContext request)
    {
        if (record.Problem is { } problem)
        {
            batch.Rejected.Add(new RejectedEvent(request.SourceId, request.ReceivedAt, $"{unit} {record.Number}: {problem}", record.Json.ToArray()));
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(record.Json, _options);
        }
        catch (JsonException e)
        {
            batch.Rejected.Add(new RejectedEvent(request.SourceId, request.ReceivedAt, $"{unit} {record.Number} is not valid JSON: {e.Message}", record.Json.ToArray()));
            return;
        }

        using (document)
        {
            var result = normalizer.Normalize(document.RootElement, default, null, request, batch.Payloads);
            if (result.Accepted is { } accepted)
            {
                batch.Events.Add(accepted);
            }
            else
            {
                var r = result.Rejected!;
                batch.Rejected.Add(r with { Reason = $"{unit} {record.Number}: {r.Reason}" });
            }
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r"u8).IsEmpty;

    private static async Task<bool> IsGzipAsync(CountingStream stream, CancellationToken cancellationToken)
    {
        var header = new byte[2];
        var read = await stream.PeekAsync(header, cancellationToken);
        return read == 2 && header[0] == 0x1f && header[1] == 0x8b;
    }

    private static Batch NewBatch() => new(new List<CollectedEvent>(BatchSize), [], new PayloadArena());

    /// <summary>Events, rejections and the payloads' memory, which is given back once the batch is appended.</summary>
    private sealed record Batch(List<CollectedEvent> Events, List<RejectedEvent> Rejected, PayloadArena Payloads);
}

/// <summary>The outcome of an import: lines (or CSV rows below the header) read, events stored, skipped as already present, rejected.</summary>
public readonly record struct ImportResult(long Read, long Stored, long Duplicates, long Rejected, string Units = "lines")
{
    public override string ToString() =>
        new StringBuilder().Append(Read).Append(' ').Append(Units).Append(": ").Append(Stored).Append(" stored, ")
            .Append(Duplicates).Append(" already present, ").Append(Rejected).Append(" rejected").ToString();
}

/// <summary>How an import reads its file: JSONL, or CSV whose rows are calls of <see cref="CsvType"/> unless they say.</summary>
public sealed record ImportFormat(bool Csv, EventType? CsvType = null)
{
    public static readonly ImportFormat Jsonl = new(false);

    /// <summary>What a rejection names: "Line 12", "Row 12" (a spreadsheet's numbering, the header being row 1).</summary>
    internal string Unit => Csv ? "Row" : "Line";

    internal string Plural => Csv ? "rows" : "lines";

    /// <summary>How many lines, or rows below the header, end at line or row <paramref name="last"/>.</summary>
    internal long Count(long last) => Csv ? Math.Max(0, last - 1) : last;
}

/// <summary>What an import would do: lines or rows read, events it would store, rejections; the first of each.</summary>
public sealed record ImportPreview(long Read, string Units, long Valid, long Rejected, IReadOnlyList<string> FirstEvents, IReadOnlyList<string> FirstRejections);
