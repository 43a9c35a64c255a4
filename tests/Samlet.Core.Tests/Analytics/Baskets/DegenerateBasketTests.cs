using Samlet.Analytics.Baskets;

namespace Samlet.Core.Tests.Analytics.Baskets;

public sealed class DegenerateBasketTests
{
    [Fact]
    public void Refuses_an_empty_list_of_baskets_with_a_clear_message()
    {
        var error = Assert.Throws<ArgumentException>(() => TransactionSet.FromBaskets([]));

        Assert.Contains("no baskets", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Refuses_a_basket_file_of_blank_lines()
    {
        var error = Assert.Throws<FormatException>(() => BasketFile.Read(new StringReader("\n  \n\n")));

        Assert.Contains("no basket", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Mines_a_single_basket_as_items_that_always_occur_together()
    {
        var result = AssociationRuleMiner.Mine(TransactionSet.FromBaskets([["a", "b"]]), new AssociationRuleOptions(0.5, 0.5));

        Assert.Equal(3, result.Itemsets.Count); // {a}, {b}, {a, b}
        Assert.Equal(4, result.Rules.Count); // {}=>a, {}=>b, a=>b, b=>a
        Assert.All(result.Rules, rule =>
        {
            Assert.Equal(1, rule.Confidence);
            Assert.Equal(1, rule.Lift);
            Assert.Equal(0, rule.Leverage);
            Assert.Equal(1, rule.Conviction); // the consequent is in every basket: independence, not 0/0
        });
    }

    [Fact]
    public void Counts_empty_baskets_in_the_support_denominator_as_arules_does()
    {
        var result = AssociationRuleMiner.Mine(TransactionSet.FromBaskets([["a"], [], [], ["a", "b"]]), new AssociationRuleOptions(0.25, 0));

        Assert.Equal(4, result.TransactionCount);
        Assert.Equal(0.5, result.Itemsets.Single(itemset => itemset.Items.SequenceEqual(["a"])).Support);
        var rule = result.Rules.Single(r => r.Antecedent.SequenceEqual(["b"]) && r.Consequent == "a");
        Assert.Equal(2, rule.Lift); // confidence 1 / support(a) 0.5
        Assert.True(double.IsPositiveInfinity(rule.Conviction));
    }

    [Fact]
    public void Finds_nothing_when_every_basket_is_empty()
    {
        var result = AssociationRuleMiner.Mine(TransactionSet.FromBaskets([[], []]), new AssociationRuleOptions(0.1, 0.1));

        Assert.Empty(result.Itemsets);
        Assert.Empty(result.Rules);
    }

    [Fact]
    public void Counts_an_item_listed_twice_in_one_basket_once()
    {
        var transactions = TransactionSet.FromBaskets([["a", "a", "b"], ["b"]]);

        Assert.Equal([1, 2], transactions.ItemCounts());
    }

    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(-0.1, 0.5)]
    [InlineData(1.5, 0.5)]
    [InlineData(double.NaN, 0.5)]
    [InlineData(0.1, -0.1)]
    [InlineData(0.1, 1.01)]
    [InlineData(0.1, double.NaN)]
    public void Rejects_thresholds_outside_their_range(double support, double confidence)
    {
        var transactions = TransactionSet.FromBaskets([["a"]]);

        Assert.Throws<ArgumentOutOfRangeException>(() => AssociationRuleMiner.Mine(transactions, new AssociationRuleOptions(support, confidence)));
    }

    [Fact]
    public void Reads_labels_exactly_skipping_empty_fields_and_blank_lines()
    {
        var transactions = BasketFile.Read(new StringReader("milk,cream cheese ,bread\n\na,,b\n,\n"));

        Assert.Equal(3, transactions.Count); // the blank line is no basket; "," is an empty basket
        Assert.Equal(["milk", "cream cheese ", "bread", "a", "b"], transactions.Items);
        Assert.Equal([1, 1, 1, 1, 1], transactions.ItemCounts());
    }
}
