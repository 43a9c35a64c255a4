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
    }

    public long Version { get; }

    public IReadOnlyList<ComputedTraitDefinition> ComputedTraits { get; }

    public IReadOnlyList<AudienceDefinition> Audiences { get; }

    /// <summary>What each audience (by key) reads.</summary>
    public IReadOnlyDictionary<string, AudienceDependencies> Dependencies { get; }

    public IReadOnlyDictionary<string, AggregateSpec> Aggregates { get; }

    /// <summary>Whether profiles keep every behavioural count <paramref name="condition"/> reads (else only their events can answer it).</summary>
    public bool Keeps(Condition condition) =>
        AudienceDependencies.Of(condition).Performed.All(p => Aggregates.ContainsKey(BehaviourKey(p)));

    /// <summary>Where a profile keeps the count behind a behavioural condition.</summary>
    public static string BehaviourKey(AggregateSpec events) => "~" + events.Fingerprint;
}
