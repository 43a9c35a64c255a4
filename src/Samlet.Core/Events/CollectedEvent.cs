namespace Samlet.Events;

/// <summary>
/// An event that passed validation and is ready to be appended to the event log.
/// <see cref="Payload"/> is the normalised event as UTF-8 JSON (the Segment message plus
/// <c>receivedAt</c>, corrected <c>timestamp</c>, <c>context.ip</c>); the other fields are
/// copies of payload values the log indexes.
/// </summary>
public sealed record CollectedEvent(
    string SourceId,
    string MessageId,
    EventType Type,
    string? EventName,
    string? UserId,
    string? AnonymousId,
    DateTimeOffset Timestamp,
    DateTimeOffset ReceivedAt,
    ReadOnlyMemory<byte> Payload);
