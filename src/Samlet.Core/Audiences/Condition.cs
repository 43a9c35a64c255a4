namespace Samlet.Audiences;

/// <summary>A node of an audience's condition tree.</summary>
public abstract record Condition;

public sealed record AllOf(IReadOnlyList<Condition> Conditions) : Condition;

public sealed record AnyOf(IReadOnlyList<Condition> Conditions) : Condition;

public sealed record NotCondition(Condition Condition) : Condition;

public sealed record TraitCondition(string Key, Comparison Comparison) : Condition;

public sealed record ComputedTraitCondition(string Key, Comparison Comparison) : Condition;

/// <summary>Performed events (<see cref="Events"/> is a count aggregate) a number of times; "did not perform" is <c>AtMost 0</c>.</summary>
public sealed record PerformedCondition(AggregateSpec Events, CountBound Bound) : Condition;

public sealed record MemberOfCondition(string AudienceKey) : Condition;

public sealed record HasIdentifierCondition(string IdentifierType) : Condition;

public enum CountBoundKind
{
    AtLeast,
    AtMost,
    Exactly,
}

public sealed record CountBound(CountBoundKind Kind, long Count);
