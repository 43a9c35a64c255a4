namespace Samlet.Audiences;

/// <summary>The JSON (camelCase) names of <see cref="ComparisonOperator"/>.</summary>
public static class OperatorNames
{
    private static readonly (ComparisonOperator Op, string Name)[] _all =
    [
        (ComparisonOperator.Equals, "equals"),
        (ComparisonOperator.NotEquals, "notEquals"),
        (ComparisonOperator.Contains, "contains"),
        (ComparisonOperator.StartsWith, "startsWith"),
        (ComparisonOperator.In, "in"),
        (ComparisonOperator.GreaterThan, "greaterThan"),
        (ComparisonOperator.GreaterThanOrEqual, "greaterThanOrEqual"),
        (ComparisonOperator.LessThan, "lessThan"),
        (ComparisonOperator.LessThanOrEqual, "lessThanOrEqual"),
        (ComparisonOperator.Between, "between"),
        (ComparisonOperator.Exists, "exists"),
        (ComparisonOperator.Before, "before"),
        (ComparisonOperator.After, "after"),
        (ComparisonOperator.WithinLast, "withinLast"),
        (ComparisonOperator.Matches, "matches"),
    ];

    /// <summary>Every name, comma-separated, for error messages.</summary>
    public static string List { get; } = string.Join(", ", _all.Select(a => a.Name));

    public static string ToName(this ComparisonOperator op) => _all[(int)op].Name;

    public static bool TryParse(string? name, out ComparisonOperator op)
    {
        foreach (var (o, n) in _all)
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                op = o;
                return true;
            }
        }

        op = default;
        return false;
    }
}
