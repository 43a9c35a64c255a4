using System.Text;
using Samlet.Ingestion;

namespace Samlet.Core.Tests.Ingestion;

public sealed class LinesTests
{
    private static async Task<List<(string Line, bool Cut)>> ReadAsync(string text, int maxLineBytes)
    {
        var lines = new List<(string, bool)>();
        await foreach (var (line, cut) in Lines.ReadAsync(new TrickleStream(Encoding.UTF8.GetBytes(text), 3), maxLineBytes, CancellationToken.None))
        {
            lines.Add((Encoding.UTF8.GetString(line.Span), cut));
        }

        return lines;
    }

    [Fact]
    public async Task Cuts_a_line_longer_than_the_limit_and_goes_on_after_it()
    {
        var lines = await ReadAsync("short\n0123456789abcdefghij\n\nlast", maxLineBytes: 8);

        Assert.Equal([("short", false), ("01234567", true), ("", false), ("last", false)], lines);
    }

    [Theory]
    [InlineData(8)] // the buffer holds the whole long line and its newline at once
    [InlineData(100)]
    public async Task Cuts_a_long_line_whose_end_came_in_the_same_read(int bufferedAtOnce)
    {
        var lines = new List<(string, bool)>();
        await foreach (var (line, cut) in Lines.ReadAsync(new TrickleStream(Encoding.UTF8.GetBytes("0123456789abc\nok\n"), bufferedAtOnce), 8, CancellationToken.None))
        {
            lines.Add((Encoding.UTF8.GetString(line.Span), cut));
        }

        Assert.Equal([("01234567", true), ("ok", false)], lines);
    }

    [Fact]
    public async Task Cuts_a_last_line_without_a_newline_too()
    {
        Assert.Equal([("a", false), ("bcdefghi", true)], await ReadAsync("a\nbcdefghijklmnopqrstuvwxyz", maxLineBytes: 8));
    }

    /// <summary>Returns at most <paramref name="most"/> bytes a read, so that lines and cuts fall across reads.</summary>
    private sealed class TrickleStream(byte[] bytes, int most) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(most, buffer.Length)], cancellationToken);
    }
}
