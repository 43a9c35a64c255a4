namespace Samlet.Analytics.Baskets;

/// <summary>
/// Frequent itemsets by FP-growth and rules with one item in the consequent, following arules' conventions: support
/// is a fraction of all baskets, a rule's support is the support of its whole itemset, and a rule "{} ⇒ {y}" (length
/// 1) is produced when it passes the confidence threshold, since its confidence is the support of y.
/// </summary>
public static class AssociationRuleMiner
{
    public static AssociationRuleResult Mine(TransactionSet transactions, AssociationRuleOptions options)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var n = transactions.Count;
        var minCount = MinimumCount(options.MinSupport, n);
        var mined = FpGrowth.Mine(transactions, minCount, options.MaxLength);

        var countOf = new Dictionary<int[], int>(mined.Count, ItemsetComparer.Instance);
        foreach (var itemset in mined)
        {
            countOf.Add(itemset.ItemIds, itemset.Count);
        }

        var itemCounts = transactions.ItemCounts();
        var rules = new List<AssociationRule>();
        foreach (var itemset in mined)
        {
            var length = itemset.ItemIds.Length;
            if (length < options.MinLength || length > options.MaxLength)
            {
                continue;
            }

            for (var skip = 0; skip < length; skip++)
            {
                var antecedent = Without(itemset.ItemIds, skip);
                var antecedentCount = antecedent.Length == 0 ? n : countOf[antecedent];
                var confidence = (double)itemset.Count / antecedentCount;
                if (confidence < options.MinConfidence)
                {
                    continue;
                }

                rules.Add(CreateRule(transactions, antecedent, itemset.ItemIds[skip], itemset.Count, antecedentCount, itemCounts, n));
            }
        }

        rules.Sort(CompareRules);
        var itemsets = mined
            .Select(itemset => new FrequentItemset(Labels(transactions, itemset.ItemIds), itemset.Count, (double)itemset.Count / n))
            .OrderByDescending(itemset => itemset.Count)
            .ThenBy(itemset => itemset.Items.Count)
            .ThenBy(itemset => string.Join('\u001f', itemset.Items), StringComparer.Ordinal)
            .ToList();
        return new AssociationRuleResult(n, transactions.Items.Count, minCount, itemsets, rules);
    }

    /// <summary>The smallest basket count c with c / n ≥ minSupport, computed with the same division the rules use.</summary>
    internal static int MinimumCount(double minSupport, int n)
    {
        var count = Math.Max(1, (int)Math.Ceiling(minSupport * n));
        while (count > 1 && (double)(count - 1) / n >= minSupport)
        {
            count--;
        }

        while (count < n && (double)count / n < minSupport)
        {
            count++;
        }

        return count;
    }

    private static AssociationRule CreateRule(
        TransactionSet transactions, int[] antecedent, int consequent, int count, int antecedentCount, int[] itemCounts, int n)
    {
        var consequentCount = itemCounts[consequent];
        var support = (double)count / n;
        var coverage = (double)antecedentCount / n;
        var consequentSupport = (double)consequentCount / n;
        var confidence = (double)count / antecedentCount;
        var lift = (double)count * n / ((double)antecedentCount * consequentCount);
        var leverage = support - (coverage * consequentSupport);
        double conviction;
        if (consequentCount == n)
        {
            conviction = 1;
        }
        else if (count == antecedentCount)
        {
            conviction = double.PositiveInfinity;
        }
        else
        {
            conviction = (1 - consequentSupport) / (1 - confidence);
        }

        return new AssociationRule(
            Labels(transactions, antecedent), transactions.Label(consequent), count, support, coverage, confidence, lift, leverage, conviction);
    }

    private static int CompareRules(AssociationRule a, AssociationRule b)
    {
        var order = b.Confidence.CompareTo(a.Confidence);
        if (order == 0)
        {
            order = b.Lift.CompareTo(a.Lift);
        }

        if (order == 0)
        {
            order = b.Count.CompareTo(a.Count);
        }

        if (order == 0)
        {
            order = a.Antecedent.Count.CompareTo(b.Antecedent.Count);
        }

        if (order == 0)
        {
            order = string.CompareOrdinal(string.Join('\u001f', a.Antecedent), string.Join('\u001f', b.Antecedent));
        }

        return order != 0 ? order : string.CompareOrdinal(a.Consequent, b.Consequent);
    }

    private static int[] Without(int[] items, int skip)
    {
        var result = new int[items.Length - 1];
        items.AsSpan(0, skip).CopyTo(result);
        items.AsSpan(skip + 1).CopyTo(result.AsSpan(skip));
        return result;
    }

    private static string[] Labels(TransactionSet transactions, int[] itemIds)
    {
        var labels = new string[itemIds.Length];
        for (var i = 0; i < itemIds.Length; i++)
        {
            labels[i] = transactions.Label(itemIds[i]);
        }

        Array.Sort(labels, StringComparer.Ordinal);
        return labels;
    }

    /// <summary>Compares sorted item-id arrays by content.</summary>
    private sealed class ItemsetComparer : IEqualityComparer<int[]>
    {
        public static readonly ItemsetComparer Instance = new();

        public bool Equals(int[]? x, int[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(int[] obj)
        {
            var hash = new HashCode();
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(obj.AsSpan()));
            return hash.ToHashCode();
        }
    }
}
