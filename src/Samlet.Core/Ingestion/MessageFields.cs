using System.Text.Json;

namespace Samlet.Ingestion;

/// <summary>The fields of a Segment message that ingestion reads, checked for their JSON types in one pass.</summary>
internal struct MessageFields
{
    public string? Type;
    public string? MessageId;
    public string? UserId;
    public string? AnonymousId;
    public string? GroupId;
    public string? PreviousId;
    public string? Event;
    public string? Name;
    public string? Category;
    public JsonElement? Timestamp;
    public JsonElement? OriginalTimestamp;
    public JsonElement? SentAt;
    public JsonElement? Context;
    public JsonElement? Integrations;
    public JsonElement? Traits;
    public JsonElement? Properties;
    public string? Error;

    public static MessageFields Read(JsonElement item)
    {
        var f = default(MessageFields);
        foreach (var property in item.EnumerateObject())
        {
            var value = property.Value;
            switch (MessageFieldNames.Of(property))
            {
                case MessageField.Type: f.Type = Text(value, "type", ref f.Error); break;
                case MessageField.MessageId: f.MessageId = Id(value, "messageId", ref f.Error); break;
                case MessageField.UserId: f.UserId = Id(value, "userId", ref f.Error); break;
                case MessageField.AnonymousId: f.AnonymousId = Id(value, "anonymousId", ref f.Error); break;
                case MessageField.GroupId: f.GroupId = Id(value, "groupId", ref f.Error); break;
                case MessageField.PreviousId: f.PreviousId = Id(value, "previousId", ref f.Error); break;
                case MessageField.Event: f.Event = Text(value, "event", ref f.Error); break;
                case MessageField.Name: f.Name = Text(value, "name", ref f.Error); break;
                case MessageField.Category: f.Category = Text(value, "category", ref f.Error); break;
                case MessageField.Timestamp: f.Timestamp = Time(value, "timestamp", ref f.Error); break;
                case MessageField.OriginalTimestamp: f.OriginalTimestamp = Time(value, "originalTimestamp", ref f.Error); break;
                case MessageField.SentAt: f.SentAt = Time(value, "sentAt", ref f.Error); break;
                case MessageField.Context: f.Context = Object(value, "context", ref f.Error); break;
                case MessageField.Integrations: f.Integrations = Object(value, "integrations", ref f.Error); break;
                case MessageField.Traits: f.Traits = Object(value, "traits", ref f.Error); break;
                case MessageField.Properties: f.Properties = Object(value, "properties", ref f.Error); break;
                default: break;
            }
        }

        if (f.Error is null && f.MessageId is { Length: > IngestionLimits.MaxMessageIdLength })
        {
            f.Error = $"\"messageId\" is longer than {IngestionLimits.MaxMessageIdLength} characters.";
        }

        return f;
    }

    // Ids may be strings or numbers (SDKs coerce numbers to strings); blank means absent.
    private static string? Id(JsonElement value, string field, ref string? error)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var text = value.GetString();
                return string.IsNullOrWhiteSpace(text) ? null : text;
            case JsonValueKind.Number:
                return value.GetRawText();
            case JsonValueKind.Null:
                return null;
            default:
                error ??= $"\"{field}\" must be a string or a number, not {Kind(value)}.";
                return null;
        }
    }

    private static string? Text(JsonElement value, string field, ref string? error)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString();
            case JsonValueKind.Null:
                return null;
            default:
                error ??= $"\"{field}\" must be a string, not {Kind(value)}.";
                return null;
        }
    }

    // Kept as the element: parsing straight from its UTF-8 bytes is much faster than from a string.
    private static JsonElement? Time(JsonElement value, string field, ref string? error)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value;
            case JsonValueKind.Null:
                return null;
            default:
                error ??= $"\"{field}\" must be an ISO-8601 string, not {Kind(value)}.";
                return null;
        }
    }

    private static JsonElement? Object(JsonElement value, string field, ref string? error)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                return value;
            case JsonValueKind.Null:
                return null;
            default:
                error ??= $"\"{field}\" must be an object, not {Kind(value)}.";
                return null;
        }
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
