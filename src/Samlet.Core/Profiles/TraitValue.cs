namespace Samlet.Profiles;

/// <summary>
/// A trait's current value (raw JSON) and its lineage: the event that set it, at the event's time. Between two values
/// of one key the later event time wins; ties go to the larger (source, messageId), so the outcome never depends on
/// the order in which events arrive.
/// </summary>
public sealed record TraitValue(string Json, DateTimeOffset At, string SourceId, string MessageId)
{
    /// <summary>Whether this value should replace <paramref name="current"/> (same event: yes, the later write wins).</summary>
    public bool Supersedes(TraitValue current)
    {
        var byTime = At.CompareTo(current.At);
        if (byTime != 0)
        {
            return byTime > 0;
        }

        var bySource = string.CompareOrdinal(SourceId, current.SourceId);
        return bySource != 0 ? bySource > 0 : string.CompareOrdinal(MessageId, current.MessageId) >= 0;
    }
}
