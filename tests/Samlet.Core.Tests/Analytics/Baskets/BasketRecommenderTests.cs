using Samlet.Analytics.Baskets;

namespace Samlet.Core.Tests.Analytics.Baskets;

public sealed class BasketRecommenderTests
{
    // a, b together often; a and c together sometimes; d alone. By hand with 10 baskets:
    // a:7, b:5, c:3, a+b:5, a+c:3, so b=>a has confidence 1, c=>a 1, a=>b 5/7, a=>c 3/7, {}=>a 0.7.
    private static readonly string[][] _baskets =
    [
        ["a", "b"], ["a", "b"], ["a", "b"], ["a", "b", "c"], ["a", "b", "c"], ["a", "c"], ["a"], ["d"], ["d"], ["e"],
    ];

    private static readonly AssociationRuleResult _rules =
        AssociationRuleMiner.Mine(TransactionSet.FromBaskets(_baskets), new AssociationRuleOptions(0.2, 0.3));

    [Fact]
    public void Recommends_the_consequents_of_rules_the_customer_satisfies_by_best_confidence()
    {
        var recommender = new BasketRecommender(_rules.Rules);

        var recommendations = recommender.Recommend(["a"], top: 5);

        Assert.Equal(["b", "c"], recommendations.Select(r => r.Item));
        Assert.Equal(5.0 / 7, recommendations[0].Score, 12);
        Assert.Equal(3.0 / 7, recommendations[1].Score, 12);
        Assert.Equal(["a"], recommendations[0].Rule.Antecedent);
    }

    [Fact]
    public void Never_recommends_an_item_the_customer_owns()
    {
        var recommender = new BasketRecommender(_rules.Rules);

        var recommendations = recommender.Recommend(["b", "c"], top: 5);

        Assert.DoesNotContain(recommendations, r => r.Item is "b" or "c");
        Assert.Equal("a", recommendations[0].Item);
        Assert.Equal(1, recommendations[0].Score);
    }

    [Fact]
    public void Falls_back_to_popular_items_through_rules_with_an_empty_antecedent()
    {
        var recommender = new BasketRecommender(_rules.Rules);

        var recommendations = recommender.Recommend(["zzz"], top: 3);

        // Only {} => a (confidence 0.7) and {} => b (0.5) pass 0.3; {} => c is 0.3 too (3/10) and passes (>=).
        Assert.Equal(["a", "b", "c"], recommendations.Select(r => r.Item));
        Assert.All(recommendations, r => Assert.Empty(r.Rule.Antecedent));
    }

    [Fact]
    public void Ranks_by_lift_when_asked()
    {
        var recommender = new BasketRecommender(_rules.Rules, RecommendationRanking.Lift);

        var recommendations = recommender.Recommend(["a"], top: 1);

        // a=>b: lift (5/7)/0.5 = 1.43; a=>c: (3/7)/0.3 = 1.43 as well: equal lifts, then confidence decides.
        var best = Assert.Single(recommendations);
        Assert.Equal("b", best.Item);
        Assert.Equal(best.Rule.Lift, best.Score);
    }

    [Fact]
    public void Returns_at_most_top_n_items()
    {
        var recommender = new BasketRecommender(_rules.Rules);

        Assert.Single(recommender.Recommend([], top: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => recommender.Recommend([], top: 0));
    }

    [Fact]
    public void Recommends_for_many_customers_on_groceries_without_recommending_owned_items()
    {
        var rules = AssociationRuleMiner.Mine(BasketFixtures.Groceries, new AssociationRuleOptions(0.001, 0.5)).Rules;
        var recommender = new BasketRecommender(rules);
        var customers = new Dictionary<string, IReadOnlyCollection<string>>
        {
            ["c1"] = ["liquor", "red/blush wine"],
            ["c2"] = ["root vegetables", "tropical fruit", "yogurt"],
        };

        var recommendations = recommender.RecommendForCustomers(customers, top: 3);

        Assert.Equal("bottled beer", recommendations["c1"][0].Item);
        Assert.Equal(0.904762, recommendations["c1"][0].Score, 6);
        Assert.InRange(recommendations["c2"].Count, 1, 3);
        Assert.DoesNotContain(recommendations["c2"], r => customers["c2"].Contains(r.Item));
        Assert.All(recommendations["c2"], r => Assert.Subset(customers["c2"].ToHashSet(), r.Rule.Antecedent.ToHashSet()));
        Assert.All(recommendations.Values.SelectMany(list => list), r => Assert.True(r.Rule.Confidence >= 0.5));
    }
}
