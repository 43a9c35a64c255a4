namespace Samlet.Analytics.Lifetime;

/// <summary>
/// A buy-till-you-die model of repeat purchases (BG/NBD or Pareto/NBD) evaluated on one customer's calibration
/// summary: <c>x</c> repeat purchases, the last at <c>tx</c>, observed for <c>age</c> time units since the first.
/// </summary>
public interface IRepeatPurchaseModel
{
    /// <summary>Short name used in reports: <c>bgnbd</c> or <c>paretonbd</c>.</summary>
    string Name { get; }

    /// <summary>Expected number of purchases in the next <paramref name="horizon"/> time units.</summary>
    double ExpectedPurchases(double horizon, int x, double tx, double age);

    /// <summary>Probability that the customer is still active at the end of the calibration period.</summary>
    double ProbabilityAlive(int x, double tx, double age);
}
