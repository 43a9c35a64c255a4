using Samlet.Analytics.Lifetime;

namespace Samlet.Core.Tests.Analytics.Lifetime;

public sealed class LifetimeValueTests
{
    private static readonly BgNbdModel _purchases = new(0.243, 4.414, 0.793, 2.426);
    private static readonly GammaGammaModel _spend = new(6.25, 3.74, 15.44);

    [Fact]
    public void Without_discounting_value_is_expected_purchases_times_expected_spend()
    {
        var data = CdnowSample.Summary;

        var customers = CustomerValuation.Score(_purchases, _spend, data, horizon: 52, discountRate: 0);

        for (var i = 0; i < data.Count; i += 37)
        {
            var c = customers[i];
            var purchases = _purchases.ExpectedPurchases(52, c.Frequency, c.Recency, c.Age);
            var spend = _spend.ExpectedSpend(c.Frequency, data.MeanRepeatSpend![i])!.Value;
            Assert.Equal(purchases, c.ExpectedPurchases, 1e-12);
            Assert.Equal(spend, c.ExpectedSpend!.Value, 1e-12);
            Assert.Equal(purchases * spend, c.Clv!.Value, 1e-9);
        }
    }

    [Theory]
    [InlineData(0.01, 52.0)]
    [InlineData(0.2, 10.0)]
    [InlineData(0.05, 12.5)]
    public void Discounted_purchases_follow_the_documented_period_sum(double rate, double horizon)
    {
        const int x = 3;
        const double tx = 20, age = 35;
        // Σ_k [E(min(k, H)) − E(k − 1)] / (1 + d)^k over k = 1..⌈H⌉, recomputed here term by term.
        var expected = 0.0;
        for (var k = 1; k <= Math.Ceiling(horizon); k++)
        {
            var increment = _purchases.ExpectedPurchases(Math.Min(k, horizon), x, tx, age) - _purchases.ExpectedPurchases(k - 1, x, tx, age);
            expected += increment / Math.Pow(1 + rate, k);
        }

        Assert.Equal(expected, LifetimeValue.DiscountedPurchases(_purchases, x, tx, age, horizon, rate), 1e-12);
    }

    [Fact]
    public void Value_falls_as_the_discount_rate_rises_and_stays_within_its_bounds()
    {
        const int x = 5;
        const double tx = 30, age = 38, horizon = 52;
        var undiscounted = _purchases.ExpectedPurchases(horizon, x, tx, age);
        var previous = LifetimeValue.DiscountedPurchases(_purchases, x, tx, age, horizon, 0);
        Assert.Equal(undiscounted, previous, 1e-12);

        foreach (var rate in (double[])[0.001, 0.01, 0.05, 0.2, 1.0])
        {
            var value = LifetimeValue.DiscountedPurchases(_purchases, x, tx, age, horizon, rate);
            Assert.True(value < previous);
            // Every purchase is discounted by at least one period and at most by all of them.
            Assert.InRange(value, undiscounted / Math.Pow(1 + rate, horizon), undiscounted / (1 + rate));
            previous = value;
        }
    }

    [Fact]
    public void Scoring_with_a_discount_rate_multiplies_discounted_purchases_by_expected_spend()
    {
        var data = CdnowSample.Summary;

        var customers = CustomerValuation.Score(_purchases, _spend, data, horizon: 26, discountRate: 0.003);

        for (var i = 0; i < data.Count; i += 101)
        {
            var c = customers[i];
            var discounted = LifetimeValue.DiscountedPurchases(_purchases, c.Frequency, c.Recency, c.Age, 26, 0.003);
            Assert.Equal(discounted * c.ExpectedSpend!.Value, c.Clv!.Value, 1e-9);
            Assert.InRange(c.ProbabilityAlive, 0, 1);
        }
    }

    [Fact]
    public void Scoring_without_a_spend_model_leaves_spend_and_value_empty()
    {
        var customers = CustomerValuation.Score(_purchases, null, CdnowSample.Summary, horizon: 10, discountRate: 0.01);

        Assert.All(customers, c => Assert.Null(c.Clv));
        Assert.All(customers, c => Assert.Null(c.ExpectedSpend));
    }

    [Fact]
    public void Refuses_negative_rates_and_horizons()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LifetimeValue.DiscountedPurchases(_purchases, 1, 1, 2, 10, -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LifetimeValue.DiscountedPurchases(_purchases, 1, 1, 2, -1, 0.1));
    }
}
