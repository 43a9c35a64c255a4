namespace Samlet.Analytics.Baskets;

/// <summary>An itemset found in at least the minimum support of baskets.</summary>
/// <param name="Items">Item labels, sorted ordinally.</param>
/// <param name="Count">Baskets that contain every item of the set.</param>
/// <param name="Support">Count divided by the number of baskets.</param>
public sealed record FrequentItemset(IReadOnlyList<string> Items, int Count, double Support);
