using System.Text.Json;

namespace Samlet.Audiences;

/// <summary>An operator with its validated operand(s), applied to a trait, computed trait or event property value.</summary>
public sealed class Comparison
{
    public required ComparisonOperator Operator { get; init; }

    /// <summary>Whether <paramref name="value"/> (absent: null) meets the comparison at <paramref name="now"/>.</summary>
    public bool Matches(JsonElement? value, DateTimeOffset now) => throw new NotImplementedException();
}
