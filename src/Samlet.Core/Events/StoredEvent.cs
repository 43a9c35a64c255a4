namespace Samlet.Events;

/// <summary>An event as read back from the log; <see cref="Sequence"/> is its position in the log.</summary>
public sealed record StoredEvent(
    long Sequence,
    string SourceId,
    string MessageId,
    EventType Type,
    string? EventName,
    string? UserId,
    string? AnonymousId,
    DateTimeOffset Timestamp,
    DateTimeOffset ReceivedAt,
    byte[] Payload);
