namespace Samlet.Events;

/// <summary>A rejected event as read back from the rejected-events log.</summary>
public sealed record StoredRejectedEvent(long Id, string SourceId, DateTimeOffset ReceivedAt, string Reason, byte[] Payload);
