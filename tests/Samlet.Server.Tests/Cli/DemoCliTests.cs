using System.CommandLine;
using System.IO.Compression;
using System.Text.Json;
using Samlet.Server.Cli;

namespace Samlet.Server.Tests.Cli;

public sealed class DemoCliTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("samlet-demo-cli-");

    [Fact]
    public async Task Generate_writes_a_gzipped_json_lines_file_of_the_window()
    {
        var path = Path.Combine(_dir.FullName, "demo.jsonl.gz");
        var (exit, error) = await Run("demo", "generate", "--customers", "50", "--days", "30", "--end", "2026-11-01", "--out", path);

        Assert.True(exit == 0, error);
        var lines = ReadGzipLines(path);
        Assert.True(lines.Count > 300, $"only {lines.Count} lines");
        var start = new DateTimeOffset(2026, 10, 2, 0, 0, 0, TimeSpan.Zero);
        var end = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var parsed = 0;
        var previous = DateTimeOffset.MinValue;
        var types = new HashSet<string>();
        foreach (var line in lines)
        {
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(line);
            }
            catch (JsonException)
            {
                continue;
            }

            using (doc)
            {
                var timestamp = doc.RootElement.GetProperty("timestamp").GetDateTimeOffset();
                Assert.InRange(timestamp, start, end);
                Assert.True(timestamp >= previous, "lines are not in time order");
                previous = timestamp;
                types.Add(doc.RootElement.GetProperty("type").GetString()!);
                parsed++;
            }
        }

        Assert.True(parsed >= lines.Count * 0.99);
        Assert.Superset(new HashSet<string> { "page", "track", "identify" }, types);
        Assert.Contains("events", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_twice_with_the_same_arguments_writes_the_same_file()
    {
        var first = Path.Combine(_dir.FullName, "a.jsonl");
        var second = Path.Combine(_dir.FullName, "b.jsonl");

        await Run("demo", "generate", "--customers", "30", "--days", "20", "--seed", "42", "--out", first);
        await Run("demo", "generate", "--customers", "30", "--days", "20", "--seed", "42", "--out", second);

        Assert.True(new FileInfo(first).Length > 10_000);
        Assert.Equal(await File.ReadAllBytesAsync(first), await File.ReadAllBytesAsync(second));
    }

    [Theory]
    [InlineData("--end", "1st of May")]
    [InlineData("--customers", "0")]
    [InlineData("--days", "-3")]
    public async Task Generate_refuses_invalid_options(string option, string value)
    {
        var path = Path.Combine(_dir.FullName, "never.jsonl");

        var (exit, error) = await Run("demo", "generate", option, value, "--out", path);

        Assert.NotEqual(0, exit);
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.False(File.Exists(path));
    }

    public void Dispose() => _dir.Delete(recursive: true);

    private static async Task<(int Exit, string Error)> Run(params string[] args)
    {
        var error = new StringWriter();
        var config = new InvocationConfiguration { Output = new StringWriter(), Error = error };
        var exit = await SamletCommand.Create().Parse(args).InvokeAsync(config);
        return (exit, error.ToString());
    }

    private static List<string> ReadGzipLines(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }
}
