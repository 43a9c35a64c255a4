namespace Samlet.Ingestion;

/// <summary>What the server knows about one request: who sent it, when, from where.</summary>
/// <param name="SourceId">The authenticated source.</param>
/// <param name="ReceivedAt">Stamped once per request.</param>
/// <param name="RequestIp">The client address, filled into <c>context.ip</c> when the event has none.</param>
/// <param name="MessageIds">How to fill a missing <c>messageId</c>.</param>
public readonly record struct IngestContext(
    string SourceId,
    DateTimeOffset ReceivedAt,
    string? RequestIp,
    MissingMessageIds MessageIds = MissingMessageIds.Random);

/// <summary>How an event without a <c>messageId</c> gets one.</summary>
public enum MissingMessageIds
{
    /// <summary>A new UUID, as RudderStack and Jitsu do for live traffic.</summary>
    Random,

    /// <summary>A hash of the event's bytes, so importing the same file twice stores each event once.</summary>
    ContentHash,
}
