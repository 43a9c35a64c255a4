using System.Text.Json;
using Samlet.Events;

namespace Samlet.Audiences;

/// <summary>Which events an aggregate counts: of a type (null: any), with a track event name (null: any), meeting every condition of <see cref="Where"/>.</summary>
public sealed record EventFilter(EventType? Type, string? EventName, IReadOnlyList<PropertyCondition> Where)
{
    public bool Matches(StoredEvent e, JsonElement payload) => throw new NotImplementedException();
}
