using BenchmarkDotNet.Attributes;
using Samlet.Analytics.Baskets;

namespace Samlet.Benchmarks.Analytics;

/// <summary>Association rules on arules' Groceries (9,835 baskets, 169 items). Not sealed: BenchmarkDotNet derives from it.</summary>
[MemoryDiagnoser]
public class BasketBenchmarks
{
    private TransactionSet _groceries = null!;
    private BasketRecommender _recommender = null!;
    private string[][] _customers = null!;

    [GlobalSetup]
    public void Setup()
    {
        _groceries = BasketFile.Read(FixtureFiles.Find("groceries", "groceries.csv"));
        _recommender = new BasketRecommender(AssociationRuleMiner.Mine(_groceries, new AssociationRuleOptions(0.001, 0.5)).Rules);
        _customers = [.. File.ReadLines(FixtureFiles.Find("groceries", "groceries.csv")).Take(1000).Select(line => line.Split(','))];
    }

    /// <summary>arules' published example: apriori(Groceries, support 0.001, confidence 0.8) gives 410 rules.</summary>
    [Benchmark]
    public int Rules_at_support_0_001_confidence_0_8() =>
        AssociationRuleMiner.Mine(_groceries, new AssociationRuleOptions(0.001, 0.8)).Rules.Count;

    [Benchmark]
    public int Read_groceries_file() => BasketFile.Read(FixtureFiles.Find("groceries", "groceries.csv")).Count;

    /// <summary>Top-5 recommendations for 1,000 customers from the 5,668 rules at support 0.001, confidence 0.5.</summary>
    [Benchmark]
    public int Recommend_top_5_for_1000_customers()
    {
        var total = 0;
        foreach (var owned in _customers)
        {
            total += _recommender.Recommend(owned, 5).Count;
        }

        return total;
    }
}
