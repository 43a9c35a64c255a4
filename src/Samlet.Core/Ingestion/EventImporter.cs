using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Samlet.Events;
using Samlet.Storage;

namespace Samlet.Ingestion;

/// <summary>
/// Bulk import of Segment events from JSONL (optionally gzip): each line goes through the same normaliser as the
/// Tracking API; lines that are not valid go to the rejected-events log with their line number. Parsing and
/// writing run in parallel, and events without a messageId get one from their content, so importing a file
/// twice stores each event once.
/// </summary>
public sealed class EventImporter(IEventLog log, EventNormalizer normalizer, TimeProvider time)
{
    private const int BatchSize = 10_000; // its list of events stays below the large object heap's 85,000 bytes
    private static readonly JsonDocumentOptions _options = new() { MaxDepth = 64 };

    /// <param name="input">JSONL, or gzip-compressed JSONL (recognised by its magic bytes).</param>
    /// <param name="progress">Receives the number of input bytes consumed so far.</param>
    public async Task<ImportResult> ImportAsync(Stream input, string sourceId, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        await log.DeduplicateWholeHistoryAsync(sourceId, cancellationToken);
        var batches = Channel.CreateBounded<Batch>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(() => ProduceAsync(input, sourceId, batches.Writer, progress, cancellationToken), cancellationToken);
        long stored = 0, duplicates = 0, rejected = 0;
        await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
        {
            AppendResult result;
            try
            {
                result = await log.AppendAsync(batch.Events, batch.Rejected, cancellationToken);
            }
            finally
            {
                batch.Payloads.Dispose();
            }

            stored += result.Stored;
            duplicates += result.Duplicates;
            rejected += result.Rejected;
        }

        var lines = await producer;
        return new ImportResult(lines, stored, duplicates, rejected);
    }

    private async Task<long> ProduceAsync(Stream input, string sourceId, ChannelWriter<Batch> output, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        try
        {
            var counting = new CountingStream(input);
            await using var source = await IsGzipAsync(counting, cancellationToken) ? new GZipStream(counting, CompressionMode.Decompress, leaveOpen: true) : (Stream)counting;
            var batch = NewBatch();
            long lineNumber = 0;
            await foreach (var line in Lines.ReadAsync(source, cancellationToken))
            {
                lineNumber++;
                if (IsBlank(line.Span))
                {
                    continue;
                }

                var request = new IngestContext(sourceId, time.GetUtcNow(), null, MissingMessageIds.ContentHash);
                AddLine(batch, line, lineNumber, request);
                if (batch.Events.Count + batch.Rejected.Count >= BatchSize)
                {
                    await output.WriteAsync(batch, cancellationToken);
                    progress?.Report(counting.Position);
                    batch = NewBatch();
                }
            }

            await output.WriteAsync(batch, cancellationToken);
            progress?.Report(counting.Position);
            return lineNumber;
        }
        finally
        {
            output.TryComplete();
        }
    }

    private void AddLine(Batch batch, ReadOnlyMemory<byte> line, long lineNumber, in IngestContext request)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, _options);
        }
        catch (JsonException e)
        {
            batch.Rejected.Add(new RejectedEvent(request.SourceId, request.ReceivedAt, $"Line {lineNumber} is not valid JSON: {e.Message}", line.ToArray()));
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
                batch.Rejected.Add(r with { Reason = $"Line {lineNumber}: {r.Reason}" });
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

/// <summary>The outcome of an import: lines read, events stored, skipped as already present, rejected.</summary>
public readonly record struct ImportResult(long Lines, long Stored, long Duplicates, long Rejected)
{
    public override string ToString() =>
        new StringBuilder().Append(Lines).Append(" lines: ").Append(Stored).Append(" stored, ")
            .Append(Duplicates).Append(" already present, ").Append(Rejected).Append(" rejected").ToString();
}
