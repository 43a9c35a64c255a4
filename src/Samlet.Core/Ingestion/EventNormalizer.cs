using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Samlet.Events;

namespace Samlet.Ingestion;

/// <summary>
/// Validates one Segment message against the spec and writes its normalised form: the message as sent, plus
/// <c>type</c> (from the route when there is one), <c>messageId</c> (filled when missing), string ids, the four
/// timestamps with clock-skew correction, <c>receivedAt</c>, the batch context merged under the event's own,
/// and <c>context.ip</c> from the connection when absent. Pure: the same input gives the same output.
/// </summary>
public sealed class EventNormalizer(IngestionLimits limits)
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _threadBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _threadWriter;

    /// <param name="payloads">Where the normalised payload is copied to; without one it gets an array of its own.</param>
    public NormalizedEvent Normalize(JsonElement item, in BatchEnvelope envelope, EventType? routeType, in IngestContext request, PayloadArena? payloads = null)
    {
        try
        {
            return NormalizeValid(item, envelope, routeType, request, payloads);
        }
        catch (InvalidOperationException)
        {
            // Reading a string with an escaped unpaired surrogate ("\ud800") throws: such text has no UTF-16 form.
            return Reject(item, request, "The event contains a string that is not valid Unicode (an unpaired surrogate).");
        }
    }

    private NormalizedEvent NormalizeValid(JsonElement item, in BatchEnvelope envelope, EventType? routeType, in IngestContext request, PayloadArena? payloads)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return Reject(item, request, "The event is not a JSON object.");
        }

        var raw = JsonMarshal.GetRawUtf8Value(item);
        if (raw.Length > limits.MaxEventBytes)
        {
            return Reject(item, request, $"The event is {raw.Length} bytes; the limit is {limits.MaxEventBytes}.");
        }

        var fields = MessageFields.Read(item);
        if (fields.Error is { } fieldError)
        {
            return Reject(item, request, fieldError);
        }

        EventType type;
        if (routeType is { } fromRoute)
        {
            type = fromRoute;
        }
        else if (fields.Type is null)
        {
            return Reject(item, request, "The event has no \"type\".");
        }
        else if (!EventTypes.TryParse(fields.Type, out type) || fields.Type.Length == 1)
        {
            return Reject(item, request, $"Unknown type \"{Truncate(fields.Type)}\"; expected identify, track, page, screen, group or alias.");
        }

        if (Validate(type, fields) is { } invalid)
        {
            return Reject(item, request, invalid);
        }

        var messageId = fields.MessageId ?? NewMessageId(raw, request.MessageIds);
        // Clock-skew correction (Segment spec): the client's clock error is sentAt − receivedAt, so
        // timestamp = receivedAt − (sentAt − originalTimestamp). Without a client time there is nothing to correct.
        var clientTime = EventTimes.Parse(fields.OriginalTimestamp ?? fields.Timestamp);
        var originalTimestamp = clientTime ?? request.ReceivedAt;
        var sentAt = EventTimes.Parse(fields.SentAt) ?? envelope.SentAt ?? request.ReceivedAt;
        var timestamp = clientTime is null ? request.ReceivedAt : request.ReceivedAt - (sentAt - originalTimestamp);

        var buffer = _threadBuffer ??= new ArrayBufferWriter<byte>(64 * 1024);
        buffer.ResetWrittenCount();
        var writer = _threadWriter ??= new Utf8JsonWriter(buffer, RawJson.WriterOptions);
        writer.Reset(buffer);
        {
            writer.WriteStartObject();
            writer.WriteString("type", type.ToWire());
            writer.WriteString("messageId", messageId);
            WriteOptional(writer, "userId", fields.UserId);
            WriteOptional(writer, "anonymousId", fields.AnonymousId);
            WriteOptional(writer, "groupId", fields.GroupId);
            WriteOptional(writer, "previousId", fields.PreviousId);
            WriteOptional(writer, "event", fields.Event);
            WriteOptional(writer, "name", fields.Name ?? PageFieldFromProperties(type, fields.Properties, "name"));
            WriteOptional(writer, "category", fields.Category ?? PageFieldFromProperties(type, fields.Properties, "category"));
            writer.WriteString("timestamp", timestamp.UtcDateTime);
            writer.WriteString("originalTimestamp", originalTimestamp.UtcDateTime);
            writer.WriteString("sentAt", sentAt.UtcDateTime);
            writer.WriteString("receivedAt", request.ReceivedAt.UtcDateTime);
            foreach (var property in item.EnumerateObject())
            {
                var field = MessageFieldNames.Of(property);
                // Properties are copied raw; the other read fields are written above or below.
                if (field is MessageField.Other or MessageField.Properties)
                {
                    RawJson.WriteProperty(writer, property);
                }
            }

            WriteTraits(writer, type, fields);
            writer.WritePropertyName("context");
            JsonMerge.WriteMerged(writer, envelope.Context, fields.Context, fields.Context is { } c && c.TryGetProperty("ip", out _) ? null : request.RequestIp);
            if (fields.Integrations is not null || envelope.Integrations is not null)
            {
                writer.WritePropertyName("integrations");
                JsonMerge.WriteMerged(writer, envelope.Integrations, fields.Integrations, null);
            }

            writer.WriteEndObject();
            writer.Flush();
        }

        return new NormalizedEvent(
            new CollectedEvent(
                request.SourceId,
                messageId,
                type,
                type == EventType.Track ? fields.Event : fields.Name ?? PageFieldFromProperties(type, fields.Properties, "name"),
                fields.UserId,
                fields.AnonymousId,
                timestamp,
                request.ReceivedAt,
                payloads is null ? buffer.WrittenSpan.ToArray() : payloads.Copy(buffer.WrittenSpan)),
            null);
    }

    private static string? Validate(EventType type, in MessageFields fields)
    {
        switch (type)
        {
            case EventType.Alias:
                if (fields.UserId is null || fields.PreviousId is null)
                {
                    return "An alias needs both \"userId\" and \"previousId\".";
                }

                return null;
            case EventType.Track when string.IsNullOrWhiteSpace(fields.Event):
                return "A track event needs a non-empty \"event\" name.";
            case EventType.Track when fields.Event!.Length > IngestionLimits.MaxEventNameLength:
                return $"The event name is longer than {IngestionLimits.MaxEventNameLength} characters.";
            case EventType.Group when fields.GroupId is null:
                return "A group call needs a \"groupId\".";
            default:
                break;
        }

        return fields.UserId is null && fields.AnonymousId is null
            ? "The event needs a \"userId\" or an \"anonymousId\"."
            : null;
    }

    // Identify traits may arrive only in context.traits (RudderStack JS); the stored event always has "traits".
    private static void WriteTraits(Utf8JsonWriter writer, EventType type, in MessageFields fields)
    {
        JsonElement? contextTraits = fields.Context is { } context && context.TryGetProperty("traits", out var t) && t.ValueKind == JsonValueKind.Object ? t : null;
        if (type is EventType.Identify or EventType.Group && (fields.Traits is not null || (type == EventType.Identify && contextTraits is not null)))
        {
            writer.WritePropertyName("traits");
            JsonMerge.WriteMerged(writer, type == EventType.Identify ? contextTraits : null, fields.Traits, null);
        }
        else if (fields.Traits is { } traits)
        {
            writer.WritePropertyName("traits");
            RawJson.WriteValue(writer, traits);
        }
    }

    // Jitsu sends a page's name and category only in properties.
    private static string? PageFieldFromProperties(EventType type, JsonElement? properties, string field) =>
        type is EventType.Page or EventType.Screen && properties is { } p && p.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string NewMessageId(ReadOnlySpan<byte> raw, MissingMessageIds policy)
    {
        if (policy == MissingMessageIds.Random)
        {
            return Guid.NewGuid().ToString();
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(raw, hash);
        return "sha256-" + Convert.ToHexStringLower(hash[..16]);
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static NormalizedEvent Reject(JsonElement item, in IngestContext request, string reason)
    {
        var raw = JsonMarshal.GetRawUtf8Value(item);
        return new NormalizedEvent(null, new RejectedEvent(request.SourceId, request.ReceivedAt, reason, raw.ToArray()));
    }

    public static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
