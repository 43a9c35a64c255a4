using Samlet.Events;

namespace Samlet.Storage;

/// <summary>One event of a profile's timeline as the analytics scan reads it; <see cref="Payload"/> is empty unless the scan asked for it.</summary>
public readonly record struct ProfileEvent(string ProfileId, long Sequence, EventType Type, string? EventName, DateTimeOffset Timestamp, ReadOnlyMemory<byte> Payload);

/// <summary>
/// What <see cref="IAnalyticsStore.ScanProfileEventsAsync"/> reads: the events of <see cref="SourceIds"/> (a workspace's
/// sources), with payloads for track events named in <see cref="PayloadEvents"/> and for every event of <see cref="PayloadTypes"/>.
/// </summary>
public sealed record ProfileEventScan(IReadOnlyList<string> SourceIds, IReadOnlyCollection<string> PayloadEvents, IReadOnlyCollection<EventType> PayloadTypes);
