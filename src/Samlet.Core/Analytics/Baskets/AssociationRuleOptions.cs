namespace Samlet.Analytics.Baskets;

/// <summary>
/// Thresholds with arules' meaning: an itemset is frequent when its support (a fraction of baskets) is at least
/// <see cref="MinSupport"/>; a rule is kept when its confidence is at least <see cref="MinConfidence"/> and its length
/// (antecedent items + 1) is between <see cref="MinLength"/> and <see cref="MaxLength"/>. Defaults are arules'
/// (confidence 0.8, minlen 1, maxlen 10).
/// </summary>
public sealed record AssociationRuleOptions(double MinSupport, double MinConfidence = 0.8)
{
    public int MinLength { get; init; } = 1;

    public int MaxLength { get; init; } = 10;

    internal void Validate()
    {
        if (!(MinSupport > 0 && MinSupport <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(MinSupport), MinSupport, "Minimum support must be a fraction in (0, 1].");
        }

        if (!(MinConfidence >= 0 && MinConfidence <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(MinConfidence), MinConfidence, "Minimum confidence must be in [0, 1].");
        }

        if (MinLength < 1 || MaxLength < MinLength)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxLength), $"Rule lengths need 1 <= MinLength <= MaxLength (got {MinLength} and {MaxLength}).");
        }
    }
}
