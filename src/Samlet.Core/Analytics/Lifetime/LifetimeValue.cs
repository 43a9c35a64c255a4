namespace Samlet.Analytics.Lifetime;

/// <summary>
/// Discounting of expected purchases over a horizon of H time units, split into periods of one time unit:
/// DE = Σ_{k=1..⌈H⌉} [E(t_k) − E(t_{k−1})] / (1 + d)^k with t_k = min(k, H) and E(t) the model's expected purchases
/// in the next t units. Purchases of period k are discounted as if made at its end. With d = 0 the sum telescopes to
/// E(H). CLV = DE × expected spend per purchase.
/// </summary>
public static class LifetimeValue
{
    public static double DiscountedPurchases(IRepeatPurchaseModel model, int x, double tx, double age, double horizon, double discountRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(horizon);
        ArgumentOutOfRangeException.ThrowIfNegative(discountRate);
        if (!double.IsFinite(horizon) || !double.IsFinite(discountRate))
        {
            throw new ArgumentOutOfRangeException(nameof(horizon), "horizon and discount rate must be finite");
        }

        if (discountRate == 0)
        {
            return model.ExpectedPurchases(horizon, x, tx, age);
        }

        var periods = (int)Math.Ceiling(horizon);
        var total = 0.0;
        var previous = 0.0;
        var discount = 1.0;
        for (var k = 1; k <= periods; k++)
        {
            var cumulative = model.ExpectedPurchases(Math.Min(k, horizon), x, tx, age);
            discount /= 1 + discountRate;
            total += (cumulative - previous) * discount;
            previous = cumulative;
        }

        return total;
    }
}
