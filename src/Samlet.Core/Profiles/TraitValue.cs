namespace Samlet.Profiles;

/// <summary>
/// A trait's current value (raw JSON) and its lineage: the event that set it, at the event's time. Between two values
/// of one key the later event time wins; ties go to the larger (source, messageId), so the outcome never depends on
/// the order in which events arrive.
/// </summary>
public sealed record TraitValue(string Json, DateTimeOffset At, string SourceId, string MessageId)
{
    /// <summary>Whether this value should replace <paramref name="current"/> (same event: yes, the later write wins).</summary>
    public bool Supersedes(TraitValue current) => Supersedes(At, SourceId, MessageId, current);

    /// <summary>Whether a value set by the event (<paramref name="at"/>, <paramref name="sourceId"/>, <paramref name="messageId"/>) should replace <paramref name="current"/>.</summary>
    public static bool Supersedes(DateTimeOffset at, string sourceId, string messageId, TraitValue current)
    {
        var byTime = at.CompareTo(current.At);
        if (byTime != 0)
        {
            return byTime > 0;
        }

        var bySource = string.CompareOrdinal(sourceId, current.SourceId);
        return bySource != 0 ? bySource > 0 : string.CompareOrdinal(messageId, current.MessageId) >= 0;
    }
}
