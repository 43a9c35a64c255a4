using Samlet.Analytics.Baskets;

namespace Samlet.Core.Tests.Analytics.Baskets;

/// <summary>FP-growth and the rule generator checked against brute-force counting on seeded random baskets.</summary>
public sealed class FpGrowthAgainstBruteForceTests
{
    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (var seed = 1; seed <= 150; seed++)
        {
            seeds.Add(seed);
        }

        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Finds_exactly_the_itemsets_and_rules_that_brute_force_counting_finds(int seed)
    {
        var random = new Random(seed);
        var baskets = RandomBaskets(random);
        var options = new AssociationRuleOptions(
            MinSupport: Math.Round(0.02 + (random.NextDouble() * 0.5), 2),
            MinConfidence: Math.Round(random.NextDouble(), 1))
        {
            MaxLength = random.Next(1, 6),
        };

        var result = AssociationRuleMiner.Mine(TransactionSet.FromBaskets(baskets), options);

        var expectedItemsets = BruteForceMiner.Itemsets(baskets, result.MinCount, options.MaxLength);
        var foundItemsets = result.Itemsets.ToDictionary(itemset => BruteForceMiner.Key(itemset.Items), itemset => itemset.Count);
        Assert.Equal(expectedItemsets.OrderBy(p => p.Key, StringComparer.Ordinal), foundItemsets.OrderBy(p => p.Key, StringComparer.Ordinal));

        var expectedRules = BruteForceMiner.Rules(baskets, options, result.MinCount);
        var foundRules = result.Rules.ToDictionary(rule => $"{BruteForceMiner.Key(rule.Antecedent)}=>{rule.Consequent}");
        Assert.Equal(expectedRules.Keys.Order(StringComparer.Ordinal), foundRules.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, measures) in expectedRules)
        {
            var rule = foundRules[key];
            Assert.Equal(measures, [rule.Support, rule.Coverage, rule.Confidence, rule.Lift, rule.Leverage], new Tolerance(1e-12));
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Uses_the_smallest_count_whose_fraction_reaches_the_minimum_support(int seed)
    {
        var random = new Random(seed);
        var n = random.Next(1, 20_000);
        var support = Math.Round(random.NextDouble(), random.Next(1, 5));
        if (support == 0)
        {
            support = 0.5;
        }

        var count = AssociationRuleMiner.MinimumCount(support, n);

        Assert.True((double)count / n >= support);
        Assert.True(count == 1 || (double)(count - 1) / n < support);
    }

    private static List<string[]> RandomBaskets(Random random)
    {
        var universe = random.Next(1, 9);
        var density = 0.15 + (random.NextDouble() * 0.6);
        var baskets = new List<string[]>();
        for (var b = random.Next(1, 40); b > 0; b--)
        {
            // Skewed item popularity, as in real baskets; an occasional empty basket counts in the denominator.
            baskets.Add([.. Enumerable.Range(0, universe)
                .Where(item => random.NextDouble() < density / (1 + (item * 0.3)))
                .Select(item => $"i{item}")]);
        }

        return baskets;
    }

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(double obj) => 0;
    }
}
