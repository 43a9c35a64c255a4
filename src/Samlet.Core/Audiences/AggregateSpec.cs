namespace Samlet.Audiences;

/// <summary>
/// An aggregation of an event property (or of events, for <see cref="Aggregation.Count"/>) over the events
/// <see cref="Filter"/> lets through, within <see cref="Window"/> before now (null: all time). Computed traits are named
/// aggregates; an audience's behavioural conditions are unnamed count aggregates, kept the same way.
/// </summary>
public sealed record AggregateSpec(Aggregation Aggregation, string? Property, EventFilter Filter, TimeSpan? Window)
{
    /// <summary>A stable short hash of the canonical definition: two equal specs share it, whatever their JSON spelling.</summary>
    public string Fingerprint => throw new NotImplementedException();
}
