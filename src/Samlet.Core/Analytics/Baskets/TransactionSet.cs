namespace Samlet.Analytics.Baskets;

/// <summary>
/// Baskets encoded for mining: each distinct item label gets an integer id (in order of first appearance) and each
/// basket becomes a sorted array of distinct ids. Labels are kept exactly as given (no trimming, case-sensitive).
/// Duplicate items inside one basket count once, as in arules' transactions. Empty baskets are kept: they count in
/// the denominator of every support, exactly like an empty transaction in arules.
/// </summary>
public sealed class TransactionSet
{
    private readonly string[] _items;
    private readonly int[][] _baskets;

    private TransactionSet(string[] items, int[][] baskets)
    {
        _items = items;
        _baskets = baskets;
    }

    /// <summary>Distinct item labels; the index of a label is its item id.</summary>
    public IReadOnlyList<string> Items => _items;

    /// <summary>Number of baskets, empty ones included.</summary>
    public int Count => _baskets.Length;

    internal IReadOnlyList<int[]> Baskets => _baskets;

    internal string Label(int itemId) => _items[itemId];

    /// <summary>Encodes baskets of item labels. Throws when there is no basket or an item label is null or empty.</summary>
    public static TransactionSet FromBaskets(IEnumerable<IEnumerable<string>> baskets)
    {
        ArgumentNullException.ThrowIfNull(baskets);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var labels = new List<string>();
        var encoded = new List<int[]>();
        var scratch = new HashSet<int>();
        foreach (var basket in baskets)
        {
            ArgumentNullException.ThrowIfNull(basket, nameof(baskets));
            scratch.Clear();
            foreach (var item in basket)
            {
                if (string.IsNullOrEmpty(item))
                {
                    throw new ArgumentException($"Basket {encoded.Count + 1} contains a null or empty item label.", nameof(baskets));
                }

                if (!ids.TryGetValue(item, out var id))
                {
                    id = labels.Count;
                    ids.Add(item, id);
                    labels.Add(item);
                }

                scratch.Add(id);
            }

            var row = scratch.ToArray();
            Array.Sort(row);
            encoded.Add(row);
        }

        if (encoded.Count == 0)
        {
            throw new ArgumentException("There are no baskets: association rules need at least one basket.", nameof(baskets));
        }

        return new TransactionSet([.. labels], [.. encoded]);
    }

    /// <summary>Number of baskets that contain each item, indexed by item id.</summary>
    public int[] ItemCounts()
    {
        var counts = new int[_items.Length];
        foreach (var basket in _baskets)
        {
            foreach (var id in basket)
            {
                counts[id]++;
            }
        }

        return counts;
    }
}
