using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Samlet.Events;
using Samlet.Identity;

namespace Samlet.Audiences;

/// <summary>
/// The <c>Audience Entered</c> / <c>Audience Exited</c> track events the audience stage appends to the event log: the
/// profile's user id (else an anonymous id, else the profile id as anonymous id), the audience in <c>properties</c>, and
/// the profile in <c>context.samlet.profileId</c>, by which the pipeline links the event to the timeline.
/// </summary>
public static class AudienceEvents
{
    public const string Entered = "Audience Entered";
    public const string Exited = "Audience Exited";

    public static CollectedEvent Create(string sourceId, string profileId, ProfileIdentity? identity, AudienceDefinition audience, bool entered, DateTimeOffset now)
    {
        var name = entered ? Entered : Exited;
        var userId = Latest(identity, IdentifierTypes.UserId);
        var anonymousId = userId is null ? Latest(identity, IdentifierTypes.AnonymousId) ?? profileId : null;
        var time = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        var messageId = "aud-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join('\u0000', profileId, audience.Key, name, now.UtcTicks.ToString(CultureInfo.InvariantCulture)))))[..32];
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "track");
            writer.WriteString("event"u8, name);
            writer.WriteString("messageId"u8, messageId);
            if (userId is not null)
            {
                writer.WriteString("userId"u8, userId);
            }

            if (anonymousId is not null)
            {
                writer.WriteString("anonymousId"u8, anonymousId);
            }

            writer.WriteStartObject("properties"u8);
            writer.WriteString("audience_key"u8, audience.Key);
            writer.WriteString("audience_name"u8, audience.Name);
            writer.WriteString("profile_id"u8, profileId);
            writer.WriteEndObject();
            writer.WriteStartObject("context"u8);
            writer.WriteStartObject("library"u8);
            writer.WriteString("name"u8, "samlet");
            writer.WriteEndObject();
            writer.WriteStartObject("samlet"u8);
            writer.WriteString("profileId"u8, profileId);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteString("timestamp"u8, time);
            writer.WriteString("originalTimestamp"u8, time);
            writer.WriteString("receivedAt"u8, time);
            writer.WriteEndObject();
        }

        return new CollectedEvent(sourceId, messageId, EventType.Track, name, userId, anonymousId, now, now, buffer.WrittenSpan.ToArray());
    }

    /// <summary>The profile an event of Samlet's audience source belongs to.</summary>
    public static string? ProfileIdOf(JsonElement payload) =>
        PayloadPath.Resolve(payload, "context.samlet.profileId") is { ValueKind: JsonValueKind.String } id ? id.GetString() : null;

    private static string? Latest(ProfileIdentity? identity, string type)
    {
        string? value = null;
        DateTimeOffset at = default;
        foreach (var held in identity?.Identifiers ?? [])
        {
            if (held.Identifier.Type == type && (value is null || held.AddedAt >= at))
            {
                value = held.Identifier.Value;
                at = held.AddedAt;
            }
        }

        return value;
    }
}
