namespace Samlet.Audiences;

/// <summary>
/// A workspace's computed traits and audiences as the audience stage runs them: every aggregate a profile must keep
/// (computed traits under their key, behavioural conditions under <c>~</c> + fingerprint), and the audiences in an order
/// where an audience comes after every audience it refers to.
/// </summary>
public sealed class WorkspaceDefinitions
{
    public WorkspaceDefinitions(long version, IReadOnlyList<ComputedTraitDefinition> computedTraits, IReadOnlyList<AudienceDefinition> audiences)
    {
        Version = version;
        ComputedTraits = computedTraits;
        Audiences = DependenciesFirst(audiences);
        var aggregates = new Dictionary<string, AggregateSpec>(StringComparer.Ordinal);
        foreach (var trait in computedTraits)
        {
            aggregates[trait.Key] = trait.Aggregate;
        }

        foreach (var audience in audiences)
        {
            foreach (var performed in Performed(audience.Condition))
            {
                aggregates[BehaviourKey(performed.Events)] = performed.Events;
            }
        }

        Aggregates = aggregates;
    }

    public static WorkspaceDefinitions None { get; } = new(0, [], []);

    public long Version { get; }

    public IReadOnlyList<ComputedTraitDefinition> ComputedTraits { get; }

    public IReadOnlyList<AudienceDefinition> Audiences { get; }

    public IReadOnlyDictionary<string, AggregateSpec> Aggregates { get; }

    public bool IsEmpty => Aggregates.Count == 0 && Audiences.Count == 0;

    /// <summary>Where a profile keeps the count behind a behavioural condition.</summary>
    public static string BehaviourKey(AggregateSpec events) => "~" + events.Fingerprint;

    public static IEnumerable<PerformedCondition> Performed(Condition condition) => condition switch
    {
        PerformedCondition performed => [performed],
        AllOf all => all.Conditions.SelectMany(Performed),
        AnyOf any => any.Conditions.SelectMany(Performed),
        NotCondition not => Performed(not.Condition),
        _ => [],
    };

    private static IEnumerable<string> MemberOf(Condition condition) => condition switch
    {
        MemberOfCondition member => [member.AudienceKey],
        AllOf all => all.Conditions.SelectMany(MemberOf),
        AnyOf any => any.Conditions.SelectMany(MemberOf),
        NotCondition not => MemberOf(not.Condition),
        _ => [],
    };

    // Depth-first; definitions are checked for cycles before they are stored, so a cycle here is only skipped over.
    private static List<AudienceDefinition> DependenciesFirst(IReadOnlyList<AudienceDefinition> audiences)
    {
        var byKey = audiences.ToDictionary(a => a.Key, StringComparer.Ordinal);
        var ordered = new List<AudienceDefinition>(audiences.Count);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        void Visit(AudienceDefinition audience)
        {
            if (!visited.Add(audience.Key))
            {
                return;
            }

            foreach (var key in MemberOf(audience.Condition))
            {
                if (byKey.TryGetValue(key, out var dependency))
                {
                    Visit(dependency);
                }
            }

            ordered.Add(audience);
        }

        foreach (var audience in audiences.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            Visit(audience);
        }

        return ordered;
    }
}
