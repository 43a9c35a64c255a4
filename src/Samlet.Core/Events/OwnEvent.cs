using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Samlet.Audiences;
using Samlet.Identity;

namespace Samlet.Events;

/// <summary>
/// The envelope of the events Samlet appends itself (audience announcements, analytics predictions): the profile's
/// user id (else an anonymous id, else the profile id as anonymous id), <c>context.library.name</c> <c>samlet</c>, the
/// profile in <c>context.samlet.profileId</c> (by which the pipeline links the event to the timeline), and one time as
/// timestamp, originalTimestamp and receivedAt.
/// </summary>
internal static class OwnEvent
{
    /// <summary>A message id derived from <paramref name="parts"/>: the same event appended again is de-duplicated by the log.</summary>
    public static string MessageId(string prefix, params ReadOnlySpan<string?> parts) =>
        prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u0000', parts))))[..32];

    /// <summary>
    /// Writes the event: <paramref name="body"/> writes its own fields (<c>properties</c>, <c>traits</c>) and
    /// <paramref name="samlet"/> any fields of <c>context.samlet</c> beside the profile id.
    /// </summary>
    public static CollectedEvent Create(
        string sourceId,
        EventType type,
        string? eventName,
        string messageId,
        string profileId,
        ProfileIdentity? identity,
        DateTimeOffset now,
        Action<Utf8JsonWriter> body,
        Action<Utf8JsonWriter>? samlet = null)
    {
        var userId = identity?.Latest(IdentifierTypes.UserId);
        var anonymousId = userId is null ? identity?.Latest(IdentifierTypes.AnonymousId) ?? profileId : null;
        var time = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, type.ToWire());
            if (eventName is not null)
            {
                writer.WriteString("event"u8, eventName);
            }

            writer.WriteString("messageId"u8, messageId);
            if (userId is not null)
            {
                writer.WriteString("userId"u8, userId);
            }

            if (anonymousId is not null)
            {
                writer.WriteString("anonymousId"u8, anonymousId);
            }

            body(writer);
            writer.WriteStartObject("context"u8);
            writer.WriteStartObject("library"u8);
            writer.WriteString("name"u8, "samlet");
            writer.WriteEndObject();
            writer.WriteStartObject("samlet"u8);
            writer.WriteString("profileId"u8, profileId);
            samlet?.Invoke(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteString("timestamp"u8, time);
            writer.WriteString("originalTimestamp"u8, time);
            writer.WriteString("receivedAt"u8, time);
            writer.WriteEndObject();
        }

        return new CollectedEvent(sourceId, messageId, type, eventName, userId, anonymousId, now, now, buffer.WrittenSpan.ToArray());
    }

    /// <summary>The profile one of Samlet's own events names (<c>context.samlet.profileId</c>).</summary>
    public static string? ProfileIdOf(JsonElement payload) =>
        PayloadPath.Resolve(payload, "context.samlet.profileId") is { ValueKind: JsonValueKind.String } id ? id.GetString() : null;
}
