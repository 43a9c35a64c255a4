namespace Samlet.Audiences;

/// <summary>
/// What an audience's condition reads: the pipeline re-evaluates it when one of these changes, keeps the
/// <see cref="Performed"/> aggregates (distinct by fingerprint) and re-checks it on a schedule when <see cref="IsTimeDependent"/>.
/// </summary>
public sealed record AudienceDependencies(
    IReadOnlySet<string> TraitKeys,
    IReadOnlySet<string> ComputedKeys,
    IReadOnlyList<AggregateSpec> Performed,
    IReadOnlySet<string> MemberOf,
    IReadOnlySet<string> IdentifierTypes,
    bool IsTimeDependent)
{
    /// <summary>
    /// The dependencies of <paramref name="condition"/>. It is time-dependent when it has withinLast on a trait or computed
    /// trait, or a windowed performed condition (direct conditions only: a memberOf audience's own timing is its own).
    /// </summary>
    public static AudienceDependencies Of(Condition condition)
    {
        var traits = new HashSet<string>(StringComparer.Ordinal);
        var computed = new HashSet<string>(StringComparer.Ordinal);
        var performed = new List<AggregateSpec>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var members = new HashSet<string>(StringComparer.Ordinal);
        var identifiers = new HashSet<string>(StringComparer.Ordinal);
        var timeDependent = false;
        var stack = new Stack<Condition>();
        stack.Push(condition);
        while (stack.TryPop(out var node))
        {
            switch (node)
            {
                case AllOf all:
                    PushReversed(stack, all.Conditions);
                    break;
                case AnyOf any:
                    PushReversed(stack, any.Conditions);
                    break;
                case NotCondition not:
                    stack.Push(not.Condition);
                    break;
                case TraitCondition trait:
                    traits.Add(trait.Key);
                    timeDependent |= trait.Comparison.Operator == ComparisonOperator.WithinLast;
                    break;
                case ComputedTraitCondition c:
                    computed.Add(c.Key);
                    timeDependent |= c.Comparison.Operator == ComparisonOperator.WithinLast;
                    break;
                case PerformedCondition p:
                    if (seen.Add(p.Events.Fingerprint))
                    {
                        performed.Add(p.Events);
                    }

                    timeDependent |= p.Events.Window is not null;
                    break;
                case MemberOfCondition m:
                    members.Add(m.AudienceKey);
                    break;
                case HasIdentifierCondition h:
                    identifiers.Add(h.IdentifierType);
                    break;
            }
        }

        return new AudienceDependencies(traits, computed, performed, members, identifiers, timeDependent);
    }

    private static void PushReversed(Stack<Condition> stack, IReadOnlyList<Condition> children)
    {
        for (var i = children.Count - 1; i >= 0; i--)
        {
            stack.Push(children[i]);
        }
    }
}
