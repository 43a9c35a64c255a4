namespace Samlet.Analytics.Baskets;

/// <summary>An itemset as sorted item ids with the number of baskets that contain it.</summary>
internal readonly record struct MinedItemset(int[] ItemIds, int Count);
