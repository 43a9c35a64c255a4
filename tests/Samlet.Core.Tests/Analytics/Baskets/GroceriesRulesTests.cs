using Samlet.Analytics.Baskets;

namespace Samlet.Core.Tests.Analytics.Baskets;

/// <summary>Published facts about arules' Groceries data (Hahsler et al.) checked against our miner.</summary>
public sealed class GroceriesRulesTests
{
    private static readonly Lazy<AssociationRuleResult> _arulesExample =
        new(() => AssociationRuleMiner.Mine(BasketFixtures.Groceries, new AssociationRuleOptions(MinSupport: 0.001, MinConfidence: 0.8)));

    [Fact]
    public void Reads_9835_baskets_and_169_distinct_items_keeping_labels_that_end_in_a_space()
    {
        var groceries = BasketFixtures.Groceries;

        Assert.Equal(9835, groceries.Count);
        Assert.Equal(169, groceries.Items.Count);
        Assert.Contains("cream cheese ", groceries.Items);
        Assert.Contains("roll products ", groceries.Items);
    }

    [Fact]
    public void Finds_whole_milk_as_the_most_frequent_item_in_2513_baskets()
    {
        var result = AssociationRuleMiner.Mine(BasketFixtures.Groceries, new AssociationRuleOptions(0.2, 0));

        var top = result.Itemsets[0];
        Assert.Equal(["whole milk"], top.Items);
        Assert.Equal(2513, top.Count);
        Assert.Equal(0.2555, top.Support, 4);
    }

    [Fact]
    public void Finds_the_410_rules_arules_apriori_reports_at_support_0_001_and_confidence_0_8()
    {
        var result = _arulesExample.Value;

        Assert.Equal(10, result.MinCount); // 0.001 × 9835 = 9.835 baskets, so at least 10
        Assert.Equal(410, result.Rules.Count);
        // arules keeps a rule whose confidence equals the threshold (>=); those are part of the 410.
        Assert.Contains(result.Rules, rule => rule.Confidence == 0.8);
        Assert.All(result.Rules, rule => Assert.True(rule.Confidence >= 0.8 && rule.Count >= 10));
        // Only rules with a non-empty antecedent: no item reaches support 0.8, so no "{} => {y}" passes the confidence.
        Assert.All(result.Rules, rule => Assert.NotEmpty(rule.Antecedent));
    }

    [Fact]
    public void Finds_the_5668_rules_arules_reports_at_support_0_001_and_confidence_0_5()
    {
        var result = AssociationRuleMiner.Mine(BasketFixtures.Groceries, new AssociationRuleOptions(0.001, 0.5));

        Assert.Equal(5668, result.Rules.Count);
    }

    [Fact]
    public void Reports_the_published_measures_of_liquor_and_red_wine_implies_bottled_beer()
    {
        var rule = _arulesExample.Value.Rules.Single(r => r.Consequent == "bottled beer" && r.Antecedent.SequenceEqual(["liquor", "red/blush wine"]));

        Assert.Equal(19, rule.Count);
        Assert.Equal(0.001932, rule.Support, 6);
        Assert.Equal(0.904762, rule.Confidence, 6);
        Assert.Equal(11.235269, rule.Lift, 6);
    }

    [Fact]
    public void Produces_a_rule_with_an_empty_antecedent_only_when_the_item_support_meets_the_confidence()
    {
        var result = AssociationRuleMiner.Mine(BasketFixtures.Groceries, new AssociationRuleOptions(0.001, 0.25));

        // whole milk (0.2555) passes 0.25; other vegetables (0.1935) does not.
        var unconditional = Assert.Single(result.Rules, rule => rule.Antecedent.Count == 0);
        Assert.Equal("whole milk", unconditional.Consequent);
        Assert.Equal(1, unconditional.Lift, 12);
        Assert.Equal(0, unconditional.Leverage, 12);
        Assert.Equal(unconditional.Support, unconditional.Confidence);
    }

    [Fact]
    public void Gives_every_measure_a_finite_value_except_conviction_of_certain_rules()
    {
        foreach (var rule in _arulesExample.Value.Rules)
        {
            Assert.True(double.IsFinite(rule.Support) && double.IsFinite(rule.Lift) && double.IsFinite(rule.Leverage));
            Assert.Equal(rule.Confidence == 1, double.IsPositiveInfinity(rule.Conviction));
            Assert.False(double.IsNaN(rule.Conviction));
        }
    }

    [Fact]
    public void Limits_rule_length_with_max_length()
    {
        var result = AssociationRuleMiner.Mine(BasketFixtures.Groceries, new AssociationRuleOptions(0.001, 0.8) { MaxLength = 3 });

        Assert.NotEmpty(result.Rules);
        Assert.All(result.Rules, rule => Assert.True(rule.Antecedent.Count <= 2));
        Assert.All(result.Itemsets, itemset => Assert.True(itemset.Items.Count <= 3));
        Assert.Equal(
            _arulesExample.Value.Rules.Count(rule => rule.Antecedent.Count <= 2),
            result.Rules.Count);
    }
}
