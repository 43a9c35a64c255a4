using System.Buffers;
using System.Text;
using System.Text.Json;
using Samlet.Events;

namespace Samlet.Server.EventApi;

/// <summary>Writes stored events as JSON; the stored payload is embedded as it is, without re-serialising it.</summary>
internal static class EventJson
{
    public static async Task WritePageAsync(Stream stream, IReadOnlyList<StoredEvent> events, string? next)
    {
        await using var writer = new Utf8JsonWriter(stream);
        writer.WriteStartObject();
        writer.WriteStartArray("events");
        foreach (var e in events)
        {
            Write(writer, e);
        }

        writer.WriteEndArray();
        writer.WriteString("next", next);
        writer.WriteEndObject();
    }

    public static async Task WriteRejectedPageAsync(Stream stream, IReadOnlyList<StoredRejectedEvent> rejected, string? next)
    {
        await using var writer = new Utf8JsonWriter(stream);
        writer.WriteStartObject();
        writer.WriteStartArray("rejected");
        foreach (var r in rejected)
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", r.Id);
            writer.WriteString("sourceId", r.SourceId);
            writer.WriteString("receivedAt", r.ReceivedAt.UtcDateTime);
            writer.WriteString("reason", r.Reason);
            writer.WritePropertyName("payload");
            WritePayload(writer, r.Payload);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("next", next);
        writer.WriteEndObject();
    }

    public static async Task WriteSseAsync(Stream stream, StoredEvent e, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write(Encoding.UTF8.GetBytes($"id: {e.Sequence}\ndata: "));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, e);
        }

        buffer.Write("\n\n"u8);
        await stream.WriteAsync(buffer.WrittenMemory, cancellationToken);
    }

    public static void Write(Utf8JsonWriter writer, StoredEvent e)
    {
        writer.WriteStartObject();
        writer.WriteNumber("sequence", e.Sequence);
        writer.WriteString("sourceId", e.SourceId);
        writer.WriteString("messageId", e.MessageId);
        writer.WriteString("type", e.Type.ToWire());
        writer.WriteString("event", e.EventName);
        writer.WriteString("userId", e.UserId);
        writer.WriteString("anonymousId", e.AnonymousId);
        writer.WriteString("timestamp", e.Timestamp.UtcDateTime);
        writer.WriteString("receivedAt", e.ReceivedAt.UtcDateTime);
        writer.WritePropertyName("payload");
        writer.WriteRawValue(e.Payload, skipInputValidation: true);
        writer.WriteEndObject();
    }

    // A rejected payload may be any bytes: embed it when it is JSON, else show it as text.
    private static void WritePayload(Utf8JsonWriter writer, byte[] payload)
    {
        var reader = new Utf8JsonReader(payload);
        try
        {
            if (JsonDocument.TryParseValue(ref reader, out var document))
            {
                using (document)
                {
                    document.RootElement.WriteTo(writer);
                    return;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through.
        }

        writer.WriteStringValue(Encoding.UTF8.GetString(payload));
    }
}
