using Samlet.Analytics.Baskets;

namespace Samlet.Core.Tests.Analytics.Baskets;

/// <summary>
/// The definitions, computed the slow way: every subset of the item universe is counted against every basket, and
/// every rule measure is recomputed from raw counts. Only for small universes.
/// </summary>
internal static class BruteForceMiner
{
    public static Dictionary<string, int> Itemsets(IReadOnlyList<string[]> baskets, int minCount, int maxLength)
    {
        var universe = baskets.SelectMany(b => b).Distinct().Order(StringComparer.Ordinal).ToArray();
        var result = new Dictionary<string, int>();
        for (var mask = 1; mask < 1 << universe.Length; mask++)
        {
            var items = universe.Where((_, i) => (mask & (1 << i)) != 0).ToArray();
            if (items.Length > maxLength)
            {
                continue;
            }

            var count = Count(baskets, items);
            if (count >= minCount)
            {
                result.Add(Key(items), count);
            }
        }

        return result;
    }

    public static Dictionary<string, double[]> Rules(IReadOnlyList<string[]> baskets, AssociationRuleOptions options, int minCount)
    {
        double n = baskets.Count;
        var result = new Dictionary<string, double[]>();
        foreach (var key in Itemsets(baskets, minCount, options.MaxLength).Keys)
        {
            var items = key.Length == 0 ? [] : key.Split('+');
            if (items.Length < options.MinLength)
            {
                continue;
            }

            foreach (var consequent in items)
            {
                var antecedent = items.Where(item => item != consequent).ToArray();
                var both = Count(baskets, items) / n;
                var coverage = Count(baskets, antecedent) / n;
                var consequentSupport = Count(baskets, [consequent]) / n;
                var confidence = both / coverage;
                if (confidence < options.MinConfidence)
                {
                    continue;
                }

                result.Add(
                    $"{Key(antecedent)}=>{consequent}",
                    [both, coverage, confidence, confidence / consequentSupport, both - (coverage * consequentSupport)]);
            }
        }

        return result;
    }

    public static string Key(IEnumerable<string> items) => string.Join("+", items.Order(StringComparer.Ordinal));

    private static int Count(IReadOnlyList<string[]> baskets, string[] items) => baskets.Count(basket => items.All(basket.Contains));
}
