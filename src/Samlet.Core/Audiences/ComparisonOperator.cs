namespace Samlet.Audiences;

/// <summary>The operators of trait, computed-trait and property conditions (JSON: camelCase names).</summary>
public enum ComparisonOperator
{
    Equals,
    NotEquals,
    Contains,
    StartsWith,
    In,
    GreaterThan,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
    Between,
    Exists,
    Before,
    After,
    WithinLast,
    Matches,
}
