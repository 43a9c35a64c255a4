namespace Samlet.Analytics.Baskets;

/// <summary>What one mining run found.</summary>
/// <param name="TransactionCount">Baskets, empty ones included.</param>
/// <param name="ItemCount">Distinct items in the data.</param>
/// <param name="MinCount">The smallest basket count that reaches the minimum support.</param>
/// <param name="Itemsets">Frequent itemsets up to the maximum length, by descending support.</param>
/// <param name="Rules">Rules by descending confidence, then lift, then support.</param>
public sealed record AssociationRuleResult(
    int TransactionCount,
    int ItemCount,
    int MinCount,
    IReadOnlyList<FrequentItemset> Itemsets,
    IReadOnlyList<AssociationRule> Rules);
