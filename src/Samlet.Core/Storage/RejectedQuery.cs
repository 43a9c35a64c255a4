namespace Samlet.Storage;

/// <summary>Filters of the rejected-events read API, newest first; <see cref="Before"/> is an exclusive id cursor.</summary>
public sealed record RejectedQuery(IReadOnlyList<string> SourceIds, long? Before = null, int Limit = 50);
