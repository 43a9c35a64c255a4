using System.Diagnostics;
using System.IO.Pipelines;
using Samlet.Demo;
using Samlet.Ingestion;
using Samlet.Storage;

namespace Samlet.Server.Hosting;

/// <summary>
/// Fills a fresh store with the demo shop's past year, ending today, through the same importer (and so the same
/// validation) as <c>samlet import</c>: the generator writes JSONL into a pipe the importer reads.
/// </summary>
internal static class DemoLoader
{
    public static async Task<ImportResult> LoadAsync(ICdpStore store, string sourceId, int customers, TimeProvider time, TextWriter output, CancellationToken cancellationToken)
    {
        var options = new DemoOptions { Customers = customers, End = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime) };
        options.Validate();
        var shop = new DemoShop(options);
        output.WriteLine($"Loading the demo shop ({shop.Options.Customers:N0} customers, {shop.Start:yyyy-MM-dd} to {shop.End:yyyy-MM-dd})...");
        var clock = Stopwatch.StartNew();
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 4 << 20, resumeWriterThreshold: 2 << 20));
        var writer = Task.Run(async () =>
        {
            await using var stream = pipe.Writer.AsStream();
            shop.WriteJsonLines(stream, cancellationToken: cancellationToken);
        }, cancellationToken);
        var importer = new EventImporter(new EventNormalizer(new IngestionLimits()), time);
        await using var input = pipe.Reader.AsStream();
        var result = await importer.ImportAsync(store.Events, input, sourceId, ImportFormat.Jsonl, null, cancellationToken);
        await writer;
        output.WriteLine($"Demo loaded: {result} in {clock.Elapsed.TotalSeconds:0.0} s.");
        return result;
    }
}
