using System.Text.Json;
using Samlet.Events;

namespace Samlet.Audiences;

/// <summary>Which events an aggregate counts: of a type (null: any), with a track event name (null: any), meeting every condition of <see cref="Where"/>.</summary>
public sealed record EventFilter(EventType? Type, string? EventName, IReadOnlyList<PropertyCondition> Where)
{
    /// <summary>
    /// Whether <paramref name="e"/> passes: its type and event name (ordinal) match when set, and every condition of
    /// <see cref="Where"/> holds for the value at its dotted path from the <paramref name="payload"/> root (missing: null).
    /// Property conditions need no clock (withinLast on an event property compares with the event's own timestamp).
    /// </summary>
    public bool Matches(StoredEvent e, JsonElement payload)
    {
        if (!Takes(e.Type, e.EventName))
        {
            return false;
        }

        for (var i = 0; i < Where.Count; i++)
        {
            var condition = Where[i];
            if (!condition.Comparison.Matches(PayloadPath.Resolve(payload, condition.Path), e.Timestamp))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether events of this type and track event name pass the filter's type and name (its conditions aside).</summary>
    public bool Takes(EventType type, string? eventName) =>
        (Type is not { } only || only == type) && (EventName is null || string.Equals(EventName, eventName, StringComparison.Ordinal));
}
