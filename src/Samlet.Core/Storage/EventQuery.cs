using Samlet.Events;

namespace Samlet.Storage;

/// <summary>
/// Filters of the event read API. <see cref="SourceIds"/> limits the query to sources (a workspace's);
/// <see cref="Before"/> is an exclusive sequence cursor for paging newest first.
/// </summary>
public sealed record EventQuery(
    IReadOnlyList<string> SourceIds,
    EventType? Type = null,
    string? EventName = null,
    string? UserId = null,
    string? AnonymousId = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    long? Before = null,
    int Limit = 50);
