namespace Samlet.Events;

/// <summary>An event that failed validation, kept with its reason so nothing sent is silently lost.</summary>
public sealed record RejectedEvent(string SourceId, DateTimeOffset ReceivedAt, string Reason, byte[] Payload);
