using System.Runtime.InteropServices;
using System.Text.Json;

namespace Samlet.Ingestion;

/// <summary>The top-level fields ingestion reads or rewrites; <see cref="Other"/> fields are copied as sent.</summary>
internal enum MessageField
{
    Other,
    Type,
    MessageId,
    UserId,
    AnonymousId,
    GroupId,
    PreviousId,
    Event,
    Name,
    Category,
    Timestamp,
    OriginalTimestamp,
    SentAt,
    ReceivedAt,
    Context,
    Integrations,
    Traits,
    Properties,
    WriteKey,
}

/// <summary>Classifies property names from their raw UTF-8 bytes, so the hot path never allocates a name string.</summary>
internal static class MessageFieldNames
{
    public static MessageField Of(JsonProperty property)
    {
        var name = JsonMarshal.GetRawUtf8PropertyName(property);
        // An escaped name ("\u0074ype") is compared decoded, so it cannot slip past as a second "type".
        return name.Contains((byte)'\\') ? Of(System.Text.Encoding.UTF8.GetBytes(property.Name)) : Of(name);
    }

    private static MessageField Of(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 when name.SequenceEqual("type"u8) => MessageField.Type,
        4 when name.SequenceEqual("name"u8) => MessageField.Name,
        5 when name.SequenceEqual("event"u8) => MessageField.Event,
        6 when name.SequenceEqual("userId"u8) => MessageField.UserId,
        6 when name.SequenceEqual("sentAt"u8) => MessageField.SentAt,
        6 when name.SequenceEqual("traits"u8) => MessageField.Traits,
        7 when name.SequenceEqual("context"u8) => MessageField.Context,
        7 when name.SequenceEqual("groupId"u8) => MessageField.GroupId,
        8 when name.SequenceEqual("category"u8) => MessageField.Category,
        8 when name.SequenceEqual("writeKey"u8) => MessageField.WriteKey,
        9 when name.SequenceEqual("messageId"u8) => MessageField.MessageId,
        9 when name.SequenceEqual("timestamp"u8) => MessageField.Timestamp,
        10 when name.SequenceEqual("properties"u8) => MessageField.Properties,
        10 when name.SequenceEqual("previousId"u8) => MessageField.PreviousId,
        10 when name.SequenceEqual("receivedAt"u8) => MessageField.ReceivedAt,
        11 when name.SequenceEqual("anonymousId"u8) => MessageField.AnonymousId,
        12 when name.SequenceEqual("integrations"u8) => MessageField.Integrations,
        17 when name.SequenceEqual("originalTimestamp"u8) => MessageField.OriginalTimestamp,
        _ => MessageField.Other,
    };
}
