using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Samlet.Benchmarks.Load;

/// <summary>
/// Pre-serialised HTTP/1.1 requests (headers + <c>{"batch":[...],"sentAt":"..."}</c>) for one batch size.
/// Each worker owns the templates whose index ≡ worker (mod workers), so it patches them in place without copying:
/// before each send only the messageIds (from a counter) and sentAt are overwritten, so the generator costs little CPU.
/// </summary>
internal sealed class PayloadRing
{
    private const int MinTemplates = 64;
    private const int MinEvents = 8192;
    private const int SentAtLength = 28; // DateTime "O" in UTC: 2025-11-25T11:17:00.0000000Z

    private readonly Template[] _templates;
    private readonly MessageIds _ids;

    public PayloadRing(int batchSize, int workers, string path, string host, string writeKey, MessageIds ids, DateTime origin)
    {
        BatchSize = batchSize;
        _ids = ids;
        var count = Math.Max(Math.Max(MinTemplates, workers), MinEvents / batchSize);
        var writer = new TrackEventWriter(new Random(batchSize), origin);
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":"));
        _templates = new Template[count];
        for (var i = 0; i < count; i++)
        {
            _templates[i] = Build(writer, batchSize, path, host, auth, origin);
        }
        AverageEventBytes = _templates.Average(t => (double)(t.Bytes.Length - t.BodyOffset)) / batchSize;
    }

    public int BatchSize { get; }

    public int Count => _templates.Length;

    /// <summary>Body bytes per event, including its share of the envelope.</summary>
    public double AverageEventBytes { get; }

    /// <summary>Patches template <paramref name="index"/> with fresh messageIds and sentAt; the caller must own it.</summary>
    public Template Next(int index, DateTime sentAt)
    {
        var t = _templates[index];
        var first = _ids.Reserve(BatchSize);
        for (var i = 0; i < t.IdOffsets.Length; i++)
        {
            _ids.Format(first + i, t.Bytes.AsSpan(t.IdOffsets[i], TrackEventWriter.MessageIdPlaceholder.Length));
        }
        sentAt.TryFormat(t.Bytes.AsSpan(t.SentAtOffset, SentAtLength), out _, "O");
        return t;
    }

    /// <summary>
    /// The requests of one of <paramref name="workers"/> workers: its own templates (index ≡ worker mod workers) in
    /// turn, each patched just before it is returned.
    /// </summary>
    public Func<Template> SequenceOf(int worker, int workers)
    {
        var index = worker;
        return () =>
        {
            var request = Next(index, TimeProvider.System.GetUtcNow().UtcDateTime);
            index = index + workers < Count ? index + workers : worker;
            return request;
        };
    }

    private static Template Build(TrackEventWriter writer, int batchSize, string path, string host, string auth, DateTime origin)
    {
        var body = new ArrayBufferWriter<byte>(batchSize * 1024);
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteStartArray("batch");
            for (var i = 0; i < batchSize; i++)
            {
                writer.Write(json);
            }
            json.WriteEndArray();
            json.WriteString("sentAt", origin.ToString("O"));
            json.WriteEndObject();
        }
        var head = Encoding.ASCII.GetBytes(
            $"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Basic {auth}\r\n" +
            $"Content-Type: application/json\r\nUser-Agent: samlet-loadgen\r\nContent-Length: {body.WrittenCount}\r\n\r\n");
        var bytes = new byte[head.Length + body.WrittenCount];
        head.CopyTo(bytes, 0);
        body.WrittenSpan.CopyTo(bytes.AsSpan(head.Length));

        // Property values are JSON-escaped, so these markers can only occur as the property names themselves.
        var ids = Offsets(bytes, "\"messageId\":\""u8);
        var sentAt = Offsets(bytes, "\"sentAt\":\""u8);
        if (ids.Length != batchSize || sentAt.Length != 1)
        {
            throw new InvalidOperationException("Template markers not found where expected.");
        }
        return new Template(bytes, head.Length, ids, sentAt[0]);
    }

    private static int[] Offsets(byte[] bytes, ReadOnlySpan<byte> marker)
    {
        var found = new List<int>();
        for (var at = 0; ;)
        {
            var i = bytes.AsSpan(at).IndexOf(marker);
            if (i < 0)
            {
                return [.. found];
            }
            found.Add(at + i + marker.Length);
            at += i + marker.Length;
        }
    }

    /// <summary>One whole HTTP request; the JSON body starts at <see cref="BodyOffset"/> (at the end when there is none).</summary>
    internal sealed record Template(byte[] Bytes, int BodyOffset, int[] IdOffsets, int SentAtOffset)
    {
        public ReadOnlyMemory<byte> Body => Bytes.AsMemory(BodyOffset);
    }
}
