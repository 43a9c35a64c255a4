using Samlet.Events;

namespace Samlet.Audiences;

/// <summary>
/// A workspace's computed traits and audiences as the audience stage runs them: every aggregate a profile must keep
/// (computed traits under their key, behavioural conditions under <c>~</c> + fingerprint), the audiences in an order
/// where an audience comes after every audience it refers to, and what each audience reads.
/// </summary>
public sealed class WorkspaceDefinitions
{
    public WorkspaceDefinitions(long version, IReadOnlyList<ComputedTraitDefinition> computedTraits, IReadOnlyList<AudienceDefinition> audiences)
    {
        Version = version;
        ComputedTraits = computedTraits;
        var graph = AudienceGraph.Build(audiences, computedTraits.Select(t => t.Key));
        Audiences = graph.Order;
        Dependencies = graph.Dependencies;
        var aggregates = new Dictionary<string, AggregateSpec>(StringComparer.Ordinal);
        foreach (var trait in computedTraits)
        {
            aggregates[trait.Key] = trait.Aggregate;
        }

        foreach (var dependencies in graph.Dependencies.Values)
        {
            foreach (var performed in dependencies.Performed)
            {
                aggregates[BehaviourKey(performed)] = performed;
            }
        }

        Aggregates = aggregates;
        _payloadReaders = [.. aggregates.Values.Where(a => a.Filter.Where.Count > 0 || a.Property is not null)];
    }

    private readonly AggregateSpec[] _payloadReaders;

    public long Version { get; }

    public IReadOnlyList<ComputedTraitDefinition> ComputedTraits { get; }

    public IReadOnlyList<AudienceDefinition> Audiences { get; }

    /// <summary>What each audience (by key) reads.</summary>
    public IReadOnlyDictionary<string, AudienceDependencies> Dependencies { get; }

    public IReadOnlyDictionary<string, AggregateSpec> Aggregates { get; }

    /// <summary>
    /// Whether some aggregate reads the payload of events of this type and track event name: the pipeline keeps only
    /// those parsed until they are decided (a batch's parsed payloads are most of what survives a collection).
    /// </summary>
    public bool ReadsPayloadOf(EventType type, string? eventName)
    {
        foreach (var aggregate in _payloadReaders)
        {
            if (aggregate.ReadsPayloadOf(type, eventName))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether profiles keep every behavioural count <paramref name="condition"/> reads (else only their events can answer it).</summary>
    public bool Keeps(Condition condition) =>
        AudienceDependencies.Of(condition).Performed.All(p => Aggregates.ContainsKey(BehaviourKey(p)));

    /// <summary>Where a profile keeps the count behind a behavioural condition.</summary>
    public static string BehaviourKey(AggregateSpec events) => "~" + events.Fingerprint;
}
