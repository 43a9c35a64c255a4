using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Samlet.Server.Cli.Analytics;

/// <summary>
/// Indented JSON written to a text writer in pieces, so that a report on a million customers never sits in memory
/// as one string. Call <see cref="DrainWhenFull"/> between records and <see cref="Complete"/> at the end.
/// </summary>
internal sealed class ChunkedJsonWriter : IDisposable
{
    private const int ChunkBytes = 64 * 1024;
    private readonly ArrayBufferWriter<byte> _buffer = new();
    private readonly TextWriter _output;

    public ChunkedJsonWriter(TextWriter output)
    {
        _output = output;
        Json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Indented = true });
    }

    public Utf8JsonWriter Json { get; }

    public void DrainWhenFull()
    {
        if (Json.BytesPending >= ChunkBytes)
        {
            Drain();
        }
    }

    public void Complete()
    {
        Drain();
        _output.WriteLine();
    }

    public void Dispose() => Json.Dispose();

    private void Drain()
    {
        // Flush commits whole tokens only, so no UTF-8 sequence is cut in two.
        Json.Flush();
        _output.Write(Encoding.UTF8.GetString(_buffer.WrittenSpan));
        _buffer.ResetWrittenCount();
    }
}
