using System.IO.Compression;
using System.Text;
using Samlet.Server.Cli;
using Samlet.Storage;
using Samlet.Storage.Sqlite;

namespace Samlet.Server.Tests.Cli;

public sealed class ImportCliTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "samlet-import-" + Guid.NewGuid().ToString("N"));

    public ImportCliTests() => Directory.CreateDirectory(_directory);

    private static readonly string[] _lines =
    [
        """{"type":"identify","userId":"u1","traits":{"email":"a@example.com"},"messageId":"i1","timestamp":"2025-03-01T10:00:00Z"}""",
        """{"type":"track","userId":"u1","event":"Order Completed","properties":{"total":20},"messageId":"t1","timestamp":"2025-03-02T10:00:00Z"}""",
        "",
        """{"type":"page","anonymousId":"a1","name":"Home","timestamp":"2025-03-03T10:00:00Z"}""",
        """{"type":"track","userId":"u1","messageId":"bad1"}""",
        """{"type":"track", "event": """,
    ];

    private async Task<int> ImportAsync(string file) =>
        await SamletCommand.Create().Parse(["import", file, "--data", Path.Combine(_directory, "data")]).InvokeAsync();

    private async Task<(long Events, int Rejected, List<string> Reasons)> ReadStoreAsync()
    {
        await using var store = await SqliteCdpStore.OpenAsync(Path.Combine(_directory, "data"), CancellationToken.None);
        var workspace = (await store.Sources.ListWorkspacesAsync(CancellationToken.None)).Single();
        var sources = (await store.Sources.ListSourcesAsync(workspace.Id, CancellationToken.None)).Select(s => s.Id).ToList();
        var rejected = await store.Events.QueryRejectedAsync(new RejectedQuery(sources, Limit: 100), CancellationToken.None);
        return (await store.Events.CountAsync(CancellationToken.None), rejected.Count, rejected.Select(r => r.Reason).ToList());
    }

    [Fact]
    public async Task Imports_JSONL_once_and_logs_bad_lines_with_their_line_number()
    {
        var file = Path.Combine(_directory, "events.jsonl");
        await File.WriteAllLinesAsync(file, _lines);
        Assert.Equal(0, await ImportAsync(file));
        var (events, rejected, reasons) = await ReadStoreAsync();
        Assert.Equal(3, events);
        Assert.Equal(2, rejected);
        Assert.Contains(reasons, r => r.StartsWith("Line 5:", StringComparison.Ordinal) && r.Contains("\"event\" name", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("Line 6 is not valid JSON", StringComparison.Ordinal));

        // The page has no messageId: it gets one from its content, so a second import adds nothing.
        Assert.Equal(0, await ImportAsync(file));
        Assert.Equal(3, (await ReadStoreAsync()).Events);
    }

    [Fact]
    public async Task Imports_gzip_compressed_JSONL()
    {
        var file = Path.Combine(_directory, "events.jsonl.gz");
        await using (var gzip = new GZipStream(File.Create(file), CompressionLevel.Fastest))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(string.Join('\n', _lines[..4])));
        }

        Assert.Equal(0, await ImportAsync(file));
        Assert.Equal(3, (await ReadStoreAsync()).Events);
    }

    [Fact]
    public async Task Runs_several_imports_at_once_in_one_process()
    {
        var file = Path.Combine(_directory, "events.jsonl");
        await File.WriteAllLinesAsync(file, _lines);
        var codes = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            SamletCommand.Create().Parse(["import", file, "--data", Path.Combine(_directory, $"data{i}")]).InvokeAsync()));
        Assert.All(codes, code => Assert.Equal(0, code));
    }

    [Fact]
    public async Task Fails_with_a_message_for_a_missing_file_or_source()
    {
        Assert.Equal(2, await ImportAsync(Path.Combine(_directory, "missing.jsonl")));
        var file = Path.Combine(_directory, "events.jsonl");
        await File.WriteAllLinesAsync(file, _lines[..1]);
        Assert.Equal(2, await SamletCommand.Create().Parse(["import", file, "--data", Path.Combine(_directory, "data"), "--source", "src_nope"]).InvokeAsync());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
