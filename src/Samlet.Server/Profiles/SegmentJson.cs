using System.Text.Json;
using Samlet.Events;
using Samlet.Identity;
using Samlet.Profiles;

namespace Samlet.Server.Profiles;

/// <summary>
/// The response shapes of Segment's Profile API (snake_case, <c>data</c> lists, <c>cursor</c> objects), written from
/// Samlet's profiles. Fields Samlet does not know are present and null, so that clients find every field they read.
/// </summary>
internal static class SegmentJson
{
    public const string Users = "users";
    public const string Accounts = "accounts";

    /// <summary><c>{"traits":{…},"cursor":{…}}</c>; verbose traits carry their source and time.</summary>
    public static void WriteTraits(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, TraitValue>> traits, bool verbose, HttpRequest request, string? next, int limit)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("traits");
        foreach (var (key, trait) in traits)
        {
            writer.WritePropertyName(key);
            if (!verbose)
            {
                writer.WriteRawValue(trait.Json, skipInputValidation: true);
                continue;
            }

            writer.WriteStartObject();
            writer.WritePropertyName("value");
            writer.WriteRawValue(trait.Json, skipInputValidation: true);
            writer.WriteString("source_id", trait.SourceId);
            writer.WriteString("updated_at", trait.At.UtcDateTime);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        WriteCursor(writer, request, next, limit);
        writer.WriteEndObject();
    }

    /// <summary>One external id: <c>{"id","type","source_id","collection","created_at","encoding","first_message_id"}</c>.</summary>
    public static void WriteExternalId(Utf8JsonWriter writer, Identifier identifier, string collection, DateTimeOffset? createdAt, IdentifierOrigin? origin)
    {
        writer.WriteStartObject();
        writer.WriteString("id", identifier.Value);
        writer.WriteString("type", identifier.Type);
        writer.WriteString("source_id", origin?.SourceId);
        writer.WriteString("collection", collection);
        ProfileJsonWriter.WriteTime(writer, "created_at", createdAt);
        writer.WriteString("encoding", "none");
        writer.WriteString("first_message_id", origin?.MessageId);
        writer.WriteEndObject();
    }

    /// <summary>An event as Segment's events endpoint lists it: the message's own fields, snake_case ids, and the profile it belongs to.</summary>
    public static void WriteEvent(Utf8JsonWriter writer, StoredEvent e, string profileId)
    {
        using var document = JsonDocument.Parse(e.Payload);
        var root = document.RootElement;
        writer.WriteStartObject();
        writer.WriteStartArray("external_ids");
        WriteEventId(writer, IdentifierTypes.UserId, e.UserId);
        WriteEventId(writer, IdentifierTypes.AnonymousId, e.AnonymousId);
        writer.WriteEndArray();
        Copy(writer, root, "context", "context");
        writer.WriteString("type", e.Type.ToWire());
        writer.WriteString("message_id", e.MessageId);
        writer.WriteString("source_id", e.SourceId);
        writer.WriteString("timestamp", e.Timestamp.UtcDateTime);
        if (!Copy(writer, root, "properties", "properties"))
        {
            writer.WriteStartObject("properties");
            writer.WriteEndObject();
        }

        if (e.Type == EventType.Track && e.EventName is { } name)
        {
            writer.WriteString("event", name);
        }
        else
        {
            Copy(writer, root, "name", "name"); // a page's or screen's name
        }

        if (e.Type is EventType.Identify or EventType.Group)
        {
            Copy(writer, root, "traits", "traits");
        }

        Copy(writer, root, "groupId", "group_id");
        Copy(writer, root, "previousId", "previous_id");
        writer.WriteStartObject("related");
        writer.WriteString(Users, profileId);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary><c>{"metadata":{created_at, updated_at, expires_at, first_message_id, first_source_id, last_message_id, last_source_id}}</c>.</summary>
    public static void WriteMetadata(
        Utf8JsonWriter writer, DateTimeOffset? createdAt, DateTimeOffset? updatedAt, IdentifierOrigin? first, string? lastMessageId, string? lastSourceId)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("metadata");
        ProfileJsonWriter.WriteTime(writer, "created_at", createdAt);
        ProfileJsonWriter.WriteTime(writer, "updated_at", updatedAt);
        writer.WriteNull("expires_at");
        writer.WriteString("first_message_id", first?.MessageId);
        writer.WriteString("first_source_id", first?.SourceId);
        writer.WriteString("last_message_id", lastMessageId);
        writer.WriteString("last_source_id", lastSourceId);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>
    /// <c>"cursor":{"url","has_more","next","limit"}</c>: <c>url</c> is this list's path, with the next page's query
    /// when there is one; <c>next</c> is "" on the last page.
    /// </summary>
    public static void WriteCursor(Utf8JsonWriter writer, HttpRequest request, string? next, int limit)
    {
        writer.WriteStartObject("cursor");
        writer.WriteString("url", Url(request, next));
        writer.WriteBoolean("has_more", next is not null);
        writer.WriteString("next", next ?? "");
        writer.WriteNumber("limit", limit);
        writer.WriteEndObject();
    }

    private static string Url(HttpRequest request, string? next)
    {
        var path = (request.PathBase + request.Path).ToUriComponent();
        if (next is null)
        {
            return path;
        }

        var query = request.Query
            .Where(q => q.Key != "next")
            .SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v)))
            .Append(KeyValuePair.Create("next", (string?)next));
        return path + QueryString.Create(query).ToUriComponent();
    }

    private static void WriteEventId(Utf8JsonWriter writer, string type, string? value)
    {
        if (value is null)
        {
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("collection", Users);
        writer.WriteString("type", type);
        writer.WriteString("id", value);
        writer.WriteString("encoding", "none");
        writer.WriteEndObject();
    }

    private static bool Copy(Utf8JsonWriter writer, JsonElement root, string from, string to)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(from, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        writer.WritePropertyName(to);
        value.WriteTo(writer);
        return true;
    }
}
