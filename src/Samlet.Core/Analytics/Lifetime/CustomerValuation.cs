namespace Samlet.Analytics.Lifetime;

/// <summary>
/// Scores every customer of a calibration summary. Predictions are computed once per distinct (x, tx, T) and in
/// parallel, since the models are pure functions of those three numbers.
/// </summary>
public static class CustomerValuation
{
    public static IReadOnlyList<CustomerValue> Score(
        IRepeatPurchaseModel model, GammaGammaModel? spend, CalibrationSummary data, double horizon, double discountRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(horizon);
        ArgumentOutOfRangeException.ThrowIfNegative(discountRate);
        var triples = CompressedHistories.From(data);
        var expected = new double[triples.Count];
        var alive = new double[triples.Count];
        var discounted = new double[triples.Count];
        var needsDiscounting = spend is not null && discountRate > 0;
        Parallel.For(0, triples.Count, k =>
        {
            var (x, tx, t) = (triples.X[k], triples.Tx[k], triples.T[k]);
            expected[k] = model.ExpectedPurchases(horizon, x, tx, t);
            alive[k] = model.ProbabilityAlive(x, tx, t);
            discounted[k] = needsDiscounting ? LifetimeValue.DiscountedPurchases(model, x, tx, t, horizon, discountRate) : expected[k];
        });

        var customers = new CustomerValue[data.Count];
        for (var i = 0; i < data.Count; i++)
        {
            var k = triples.CustomerToTriple[i];
            var x = data.X[i];
            double? meanSpend = data.Spend is { } s && x > 0 ? s[i] : null;
            var expectedSpend = spend is null || data.Spend is null ? null : spend.ExpectedSpend(x, data.Spend[i]);
            customers[i] = new CustomerValue(
                data.CustomerIds[i], x, data.Tx[i], data.T[i], meanSpend, expected[k], alive[k], expectedSpend, expectedSpend * discounted[k]);
        }

        return customers;
    }

    /// <summary>Compares the model's expected repeat purchases over the holdout length with those observed.</summary>
    public static HoldoutComparison CompareHoldout(IRepeatPurchaseModel model, CalibrationSummary data)
    {
        var actual = data.HoldoutPurchases ?? throw new ArgumentException("the calibration summary has no holdout period", nameof(data));
        var triples = CompressedHistories.From(data);
        var predicted = 0.0;
        for (var k = 0; k < triples.Count; k++)
        {
            predicted += triples.Weight[k] * model.ExpectedPurchases(data.HoldoutLength, triples.X[k], triples.Tx[k], triples.T[k]);
        }

        long total = 0;
        foreach (var purchases in actual)
        {
            total += purchases;
        }

        return new HoldoutComparison(data.HoldoutLength, total, predicted);
    }
}
