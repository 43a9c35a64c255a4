using Samlet.Analytics.Baskets;

namespace Samlet.Core.Tests.Analytics.Baskets;

/// <summary>
/// mlxtend's five-basket example. By hand: Kidney Beans is in 5 baskets, Eggs 4, Milk, Onion and Yogurt 3 each
/// (basket 5 lists Onion twice, which counts once); pairs with 3+ baskets: {Eggs, Kidney Beans} 4, {Onion, Eggs},
/// {Milk, Kidney Beans}, {Onion, Kidney Beans}, {Kidney Beans, Yogurt} 3 each; the only triple is
/// {Onion, Eggs, Kidney Beans} with 3. That is the 11 itemsets mlxtend's documentation lists at support 0.6.
/// </summary>
public sealed class MlxtendTransactionsTests
{
    [Fact]
    public void Finds_the_11_frequent_itemsets_of_mlxtends_example_at_support_0_6()
    {
        var result = AssociationRuleMiner.Mine(BasketFixtures.MlxtendTransactions, new AssociationRuleOptions(0.6, 0.7));

        var found = result.Itemsets.ToDictionary(itemset => string.Join("+", itemset.Items), itemset => itemset.Support);
        var expected = new Dictionary<string, double>
        {
            ["Kidney Beans"] = 1.0,
            ["Eggs"] = 0.8,
            ["Milk"] = 0.6,
            ["Onion"] = 0.6,
            ["Yogurt"] = 0.6,
            ["Eggs+Kidney Beans"] = 0.8,
            ["Eggs+Onion"] = 0.6,
            ["Kidney Beans+Milk"] = 0.6,
            ["Kidney Beans+Onion"] = 0.6,
            ["Kidney Beans+Yogurt"] = 0.6,
            ["Eggs+Kidney Beans+Onion"] = 0.6,
        };
        Assert.Equal(expected.OrderBy(p => p.Key), found.OrderBy(p => p.Key));
    }

    [Fact]
    public void Keeps_the_12_single_consequent_rules_with_confidence_at_least_0_7()
    {
        var result = AssociationRuleMiner.Mine(BasketFixtures.MlxtendTransactions, new AssociationRuleOptions(0.6, 0.7));

        // By hand: 7 pair rules (E=>K 1, K=>E .8, O=>E 1, E=>O .75, M=>K 1, O=>K 1, Y=>K 1), 3 from the triple
        // (EO=>K 1, KO=>E 1, EK=>O .75) and 2 with an empty antecedent ({}=>K 1, {}=>E .8).
        var rules = result.Rules.Select(rule => $"{string.Join("+", rule.Antecedent)}=>{rule.Consequent}").Order().ToArray();
        string[] expected =
        [
            "=>Eggs", "=>Kidney Beans", "Eggs+Kidney Beans=>Onion", "Eggs+Onion=>Kidney Beans", "Eggs=>Kidney Beans", "Eggs=>Onion",
            "Kidney Beans+Onion=>Eggs", "Kidney Beans=>Eggs", "Milk=>Kidney Beans", "Onion=>Eggs", "Onion=>Kidney Beans", "Yogurt=>Kidney Beans",
        ];
        Assert.Equal(expected.Order(), rules);
    }

    [Fact]
    public void Computes_lift_leverage_and_conviction_by_their_definitions()
    {
        var result = AssociationRuleMiner.Mine(BasketFixtures.MlxtendTransactions, new AssociationRuleOptions(0.6, 0.7));

        // Eggs => Onion: support 0.6, coverage 0.8, confidence 0.75, support(Onion) 0.6.
        var rule = result.Rules.Single(r => r.Antecedent.SequenceEqual(["Eggs"]) && r.Consequent == "Onion");
        Assert.Equal(0.6, rule.Support, 12);
        Assert.Equal(0.8, rule.Coverage, 12);
        Assert.Equal(0.75, rule.Confidence, 12);
        Assert.Equal(0.75 / 0.6, rule.Lift, 12);
        Assert.Equal(0.6 - (0.8 * 0.6), rule.Leverage, 12);
        Assert.Equal((1 - 0.6) / (1 - 0.75), rule.Conviction, 12);

        // Kidney Beans is in every basket: a rule predicting it is independence, conviction 1, not 0/0.
        var certain = result.Rules.Single(r => r.Antecedent.SequenceEqual(["Eggs"]) && r.Consequent == "Kidney Beans");
        Assert.Equal(1, certain.Conviction);
        Assert.Equal(1, certain.Lift, 12);
    }
}
