using System.Diagnostics;
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
    public async Task Skips_a_line_too_long_to_be_an_event_without_reading_it_whole()
    {
        // One JSON document of 17 MB between two events: as when a JSON array export is taken for JSONL.
        var file = Path.Combine(_directory, "events.jsonl");
        var array = "[" + string.Join(',', Enumerable.Repeat(_lines[0], 17 * 1024 * 1024 / _lines[0].Length)) + "]";
        await File.WriteAllLinesAsync(file, [_lines[0], array, _lines[1]]);

        var (exitCode, output, error) = await SamletCli.RunAsync("import", file, "--data", Path.Combine(_directory, "data"));

        Assert.True(exitCode == 0, error);
        Assert.Contains("3 lines: 2 stored, 0 already present, 1 rejected", output, StringComparison.Ordinal);
        Assert.Equal(["Line 2: longer than 16 MB: a line holds one event (is the file one JSON document instead of JSONL?)."], (await ReadStoreAsync()).Reasons);
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

    [Fact]
    public async Task Imports_a_customer_list_from_CSV_once_and_its_people_become_profiles()
    {
        // As a spreadsheet exports it: a byte-order mark, semicolons, a quoted cell with a line break, a ragged row.
        var file = Path.Combine(_directory, "customers.csv");
        await File.WriteAllTextAsync(file, "user_id;email;plan;lifetime_spend;zip;note\nu1;anna@example.com;pro;1200.50;01234;\"VIP;\nsince 2019\"\nu2;bo@example.com;free;0;8000;\nu3;c@example.com\n", new UTF8Encoding(true));
        var data = Path.Combine(_directory, "data");

        var (exitCode, output, error) = await SamletCli.RunAsync("import", file, "--data", data);
        Assert.True(exitCode == 0, error);
        Assert.StartsWith("3 rows: 2 stored, 0 already present, 1 rejected", output.Split('\n')[^2], StringComparison.Ordinal);
        Assert.Equal(["Row 4: 2 cells where the header has 6."], (await ReadStoreAsync()).Reasons);
        Assert.StartsWith("3 rows: 0 stored, 2 already present", (await SamletCli.RunAsync("import", file, "--data", data)).Output.Split('\n')[^2], StringComparison.Ordinal);

        Assert.Equal(0, (await SamletCli.RunAsync("rebuild", "--data", data)).ExitCode);
        var (_, profile, _) = await SamletCli.RunAsync("profiles", "get", "email:anna@example.com", "--data", data);
        Assert.Contains("1200.50", profile, StringComparison.Ordinal);
        Assert.Contains("01234", profile, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_shows_the_mapped_events_and_the_rejections_and_stores_nothing()
    {
        var file = Path.Combine(_directory, "customers.csv");
        await File.WriteAllTextAsync(file, "user_id,email,lifetime_spend\nu1,anna@example.com,1200.50\nu2\nu3,c@example.com,7\n");
        var data = Path.Combine(_directory, "data");

        var (exitCode, output, error) = await SamletCli.RunAsync("import", file, "--dry-run", "--data", data);

        Assert.True(exitCode == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Dry run, nothing stored: 3 rows, 2 events to store, 1 to reject.", lines[0]);
        Assert.Contains("\"userId\":\"u1\"", lines[2], StringComparison.Ordinal);
        Assert.Contains("\"traits\":{\"email\":\"anna@example.com\",\"lifetime_spend\":1200.50}", lines[2], StringComparison.Ordinal);
        Assert.Equal("Row 3: 1 cells where the header has 3.", lines[^1]);
        Assert.False(Directory.Exists(data));
    }

    [Fact]
    public async Task Imports_CSV_rows_as_the_calls_type_names()
    {
        var file = Path.Combine(_directory, "orders.txt");
        await File.WriteAllTextAsync(file, "userId,event,timestamp,revenue\nu1,Order Completed,2025-03-02T10:00:00Z,99.5\n");

        var (exitCode, output, error) = await SamletCli.RunAsync("import", file, "--format", "csv", "--type", "track", "--data", Path.Combine(_directory, "data"));

        Assert.True(exitCode == 0, error);
        Assert.Contains("1 rows: 1 stored", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_gzipped_CSV_from_standard_input_given_as_a_dash()
    {
        // The real executable, fed through a pipe as in `zcat export.csv.gz | samlet import - --format csv`.
        using var process = Process.Start(SamletCli.Process("import", "-", "--format", "csv", "--data", Path.Combine(_directory, "data")))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await using (var gzip = new GZipStream(process.StandardInput.BaseStream, CompressionLevel.Fastest))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes("userId,email\nu1,a@example.com\nu2,b@example.com\n"));
        }

        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, await error);
        Assert.Contains("2 rows: 2 stored", await output, StringComparison.Ordinal);
        Assert.Equal(2, (await ReadStoreAsync()).Events);
    }

    [Fact]
    public async Task A_broken_CSV_stops_the_import_naming_the_row_after_storing_the_rows_before_it()
    {
        var file = Path.Combine(_directory, "broken.csv");
        await File.WriteAllTextAsync(file, "userId,plan\nu1,pro\nu2,\"free\n");

        var (exitCode, _, error) = await SamletCli.RunAsync("import", file, "--data", Path.Combine(_directory, "data"));

        Assert.Equal(2, exitCode);
        Assert.Contains("broken.csv cannot be read on: Row 3: a quoted cell is not closed", error, StringComparison.Ordinal);
        Assert.Equal(1, (await ReadStoreAsync()).Events);
    }

    [Fact]
    public async Task Refuses_a_corrupt_gzip_file_and_a_CSV_option_for_JSONL_with_a_message()
    {
        var file = Path.Combine(_directory, "events.jsonl.gz");
        await File.WriteAllBytesAsync(file, [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xde, 0xad, 0xbe, 0xef]);
        var data = Path.Combine(_directory, "data");

        var corrupt = await SamletCli.RunAsync("import", file, "--data", data);
        var typed = await SamletCli.RunAsync("import", file, "--type", "track", "--data", data);

        Assert.Equal(2, corrupt.ExitCode);
        Assert.Contains("events.jsonl.gz cannot be read on:", corrupt.Error, StringComparison.Ordinal);
        Assert.Equal(2, typed.ExitCode);
        Assert.Contains("--type applies to CSV files", typed.Error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
