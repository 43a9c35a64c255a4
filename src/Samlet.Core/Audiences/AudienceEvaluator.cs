namespace Samlet.Audiences;

/// <summary>
/// Decides whether a profile meets an audience's condition, and when the answer may next change with time alone.
/// Pure: it reads only <see cref="ProfileFacts"/> and <c>now</c>.
/// </summary>
public static class AudienceEvaluator
{
    /// <summary>
    /// The verdict for <paramref name="condition"/>. <see cref="Verdict.RecheckAt"/> is the earliest
    /// <see cref="Comparison.ChangesAt"/> among the trait and computed comparisons evaluated; windowed <c>performed</c>
    /// counts give none here, as the aggregate's own expiry re-checks them. And/or stop at the first child that decides
    /// them: the answer can only change when that child changes, which is either a profile change or a recheck time it gave.
    /// </summary>
    public static Verdict Evaluate(Condition condition, ProfileFacts facts, DateTimeOffset now)
    {
        DateTimeOffset? recheckAt = null;
        var isMember = Holds(condition, facts, now, ref recheckAt);
        return new Verdict(isMember, recheckAt);
    }

    private static bool Holds(Condition condition, ProfileFacts facts, DateTimeOffset now, ref DateTimeOffset? recheckAt)
    {
        switch (condition)
        {
            case TraitCondition trait:
                return Compare(trait.Comparison, facts.Trait(trait.Key), now, ref recheckAt);
            case ComputedTraitCondition computed:
                return Compare(computed.Comparison, facts.Computed(computed.Key), now, ref recheckAt);
            case AllOf all:
                for (var i = 0; i < all.Conditions.Count; i++)
                {
                    if (!Holds(all.Conditions[i], facts, now, ref recheckAt))
                    {
                        return false;
                    }
                }

                return true;
            case AnyOf any:
                for (var i = 0; i < any.Conditions.Count; i++)
                {
                    if (Holds(any.Conditions[i], facts, now, ref recheckAt))
                    {
                        return true;
                    }
                }

                return false;
            case NotCondition not:
                return !Holds(not.Condition, facts, now, ref recheckAt);
            case PerformedCondition performed:
                return Meets(performed.Bound, facts.Performed(performed.Events, now));
            case MemberOfCondition member:
                return facts.IsMember(member.AudienceKey);
            case HasIdentifierCondition has:
                return facts.HasIdentifier(has.IdentifierType);
            default:
                throw new ArgumentOutOfRangeException(nameof(condition), condition.GetType().Name, "unknown condition kind");
        }
    }

    private static bool Compare(Comparison comparison, System.Text.Json.JsonElement? value, DateTimeOffset now, ref DateTimeOffset? recheckAt)
    {
        if (comparison.Operator == ComparisonOperator.WithinLast && comparison.ChangesAt(value, now) is { } at
            && (recheckAt is not { } earliest || at < earliest))
        {
            recheckAt = at;
        }

        return comparison.Matches(value, now);
    }

    /// <summary>Whether <paramref name="count"/> events meet <paramref name="bound"/>.</summary>
    public static bool Meets(CountBound bound, long count) => bound.Kind switch
    {
        CountBoundKind.AtLeast => count >= bound.Count,
        CountBoundKind.AtMost => count <= bound.Count,
        _ => count == bound.Count,
    };
}
