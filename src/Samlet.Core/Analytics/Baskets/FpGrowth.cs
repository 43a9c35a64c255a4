namespace Samlet.Analytics.Baskets;

/// <summary>
/// FP-growth (Han, Pei &amp; Yin 2000): one pass counts items, a second builds an FP-tree of the frequent items of
/// every basket; then, for each item from the least frequent up, the itemset "suffix + item" is emitted and the
/// paths above that item's nodes (its conditional pattern base) form a smaller tree that is mined recursively.
/// Conditional trees keep the global rank order, which is valid for FP-growth and saves re-ranking.
/// </summary>
internal sealed class FpGrowth
{
    private readonly int _minCount;
    private readonly int _maxLength;
    private readonly int[] _rankToItem;
    private readonly int[] _suffix;
    private readonly List<MinedItemset> _found = [];

    private FpGrowth(int minCount, int maxLength, int[] rankToItem)
    {
        _minCount = minCount;
        _maxLength = maxLength;
        _rankToItem = rankToItem;
        _suffix = new int[Math.Min(maxLength, Math.Max(rankToItem.Length, 1))];
    }

    /// <summary>Every itemset present in at least <paramref name="minCount"/> baskets with at most <paramref name="maxLength"/> items.</summary>
    public static List<MinedItemset> Mine(TransactionSet transactions, int minCount, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);

        var counts = transactions.ItemCounts();
        var rankToItem = Enumerable.Range(0, counts.Length)
            .Where(id => counts[id] >= minCount)
            .OrderByDescending(id => counts[id])
            .ThenBy(id => id)
            .ToArray();
        var itemToRank = new int[counts.Length];
        Array.Fill(itemToRank, -1);
        for (var rank = 0; rank < rankToItem.Length; rank++)
        {
            itemToRank[rankToItem[rank]] = rank;
        }

        var tree = new FpTree(rankToItem.Length, transactions.Count * 4);
        var path = new int[rankToItem.Length];
        foreach (var basket in transactions.Baskets)
        {
            var length = 0;
            foreach (var id in basket)
            {
                var rank = itemToRank[id];
                if (rank >= 0)
                {
                    path[length++] = rank;
                }
            }

            Array.Sort(path, 0, length);
            tree.Insert(path.AsSpan(0, length), 1);
        }

        var miner = new FpGrowth(minCount, maxLength, rankToItem);
        miner.MineTree(tree, 0, path);
        return miner._found;
    }

    private void MineTree(FpTree tree, int depth, int[] pathBuffer)
    {
        for (var rank = tree.ItemCount - 1; rank >= 0; rank--)
        {
            var total = tree.Total[rank];
            if (total < _minCount)
            {
                continue;
            }

            _suffix[depth] = rank;
            Emit(depth + 1, total);
            if (depth + 1 >= _maxLength || rank == 0)
            {
                continue;
            }

            var conditional = BuildConditionalTree(tree, rank, pathBuffer);
            if (conditional is not null)
            {
                MineTree(conditional, depth + 1, pathBuffer);
            }
        }
    }

    /// <summary>The tree of the paths above every node of <paramref name="rank"/>, pruned to items still frequent there.</summary>
    private FpTree? BuildConditionalTree(FpTree tree, int rank, int[] pathBuffer)
    {
        var conditionalCounts = new int[rank];
        var anyFrequent = false;
        for (var node = tree.Head[rank]; node >= 0; node = tree.NextSameItem(node))
        {
            var count = tree.Count(node);
            for (var up = tree.Parent(node); up > 0; up = tree.Parent(up))
            {
                var item = tree.Item(up);
                conditionalCounts[item] += count;
                anyFrequent |= conditionalCounts[item] >= _minCount;
            }
        }

        if (!anyFrequent)
        {
            return null;
        }

        var conditional = new FpTree(rank, 64);
        for (var node = tree.Head[rank]; node >= 0; node = tree.NextSameItem(node))
        {
            // Walking up yields decreasing ranks; fill the buffer from its end so the path reads in increasing rank.
            var end = rank;
            for (var up = tree.Parent(node); up > 0; up = tree.Parent(up))
            {
                var item = tree.Item(up);
                if (conditionalCounts[item] >= _minCount)
                {
                    pathBuffer[--end] = item;
                }
            }

            if (end < rank)
            {
                conditional.Insert(pathBuffer.AsSpan(end, rank - end), tree.Count(node));
            }
        }

        return conditional;
    }

    private void Emit(int length, int count)
    {
        var items = new int[length];
        for (var i = 0; i < length; i++)
        {
            items[i] = _rankToItem[_suffix[i]];
        }

        Array.Sort(items);
        _found.Add(new MinedItemset(items, count));
    }
}
