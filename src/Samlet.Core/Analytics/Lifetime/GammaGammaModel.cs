namespace Samlet.Analytics.Lifetime;

/// <summary>
/// The Gamma-Gamma model of spend per transaction (Fader &amp; Hardie 2013): a customer's transaction values are
/// Gamma(p, ν) with ν ~ Gamma(q, γ) across customers, independent of the purchase process. Fitted on the mean repeat
/// spend of customers with at least one repeat purchase.
/// </summary>
public sealed class GammaGammaModel
{
    private const string Label = "Gamma-Gamma";
    private static readonly string[] _names = ["p", "q", "gamma"];

    public GammaGammaModel(double p, double q, double gamma)
    {
        FitGuards.RequirePositiveFinite(Label, nameof(p), [p, q, gamma]);

        P = p;
        Q = q;
        Gamma = gamma;
    }

    public double P { get; }

    public double Q { get; }

    public double Gamma { get; }

    public static IReadOnlyList<string> ParameterNames => _names;

    /// <summary>Mean spend per transaction across customers, pγ/(q−1); null when q ≤ 1 (the mean is infinite).</summary>
    public double? PopulationMeanSpend => Q > 1 ? P * Gamma / (Q - 1) : null;

    /// <summary>
    /// Fits on the customers with x &gt; 0 and a positive mean repeat spend (a zero mean has no Gamma density; such
    /// customers are left out of the fit but still get an expected spend).
    /// </summary>
    public static ModelFit<GammaGammaModel> Fit(CalibrationSummary data)
    {
        if (data.Spend is null)
        {
            throw new ModelFitException($"{Label}: the transactions carry no amounts");
        }

        var x = new List<int>();
        var spend = new List<double>();
        for (var i = 0; i < data.Count; i++)
        {
            if (data.X[i] > 0 && data.Spend[i] > 0)
            {
                x.Add(data.X[i]);
                spend.Add(data.Spend[i]);
            }
        }

        return Fit([.. x], [.. spend]);
    }

    /// <summary>Fits on repeat-purchase counts (all &gt; 0) and mean repeat spends (all &gt; 0).</summary>
    public static ModelFit<GammaGammaModel> Fit(int[] frequency, double[] meanSpend)
    {
        if (frequency.Length != meanSpend.Length)
        {
            throw new ArgumentException("one mean spend per customer is needed", nameof(meanSpend));
        }

        if (frequency.Length < 2)
        {
            throw new ModelFitException($"{Label}: at least two customers with a repeat purchase and a positive spend are needed, found {frequency.Length}");
        }

        var sum = 0.0;
        var varies = false;
        for (var i = 0; i < frequency.Length; i++)
        {
            if (frequency[i] <= 0 || !(meanSpend[i] > 0) || !double.IsFinite(meanSpend[i]))
            {
                throw new ArgumentException("every customer needs x > 0 and a positive, finite mean spend");
            }

            sum += meanSpend[i];
            varies |= meanSpend[i] != meanSpend[0];
        }

        if (!varies)
        {
            throw new ModelFitException($"{Label}: every customer has the same mean spend, so its spread across customers cannot be estimated");
        }

        var likelihood = new GammaGammaLikelihood(frequency, meanSpend);
        var mean = sum / frequency.Length;
        // Each start has the population mean pγ/(q−1) equal to the sample mean.
        double[][] starts = [[1, 2, mean], [5, 4, 0.6 * mean], [0.5, 1.5, mean]];
        var (estimate, logLikelihood) = LikelihoodMaximizer.Maximize(Label, likelihood.Evaluate, hasGradient: true, starts, frequency.Length);
        FitGuards.RequireInterior(Label, _names, estimate);
        var errors = StandardErrors.FromGradient(likelihood.Evaluate, estimate);
        var model = new GammaGammaModel(estimate[0], estimate[1], estimate[2]);
        return new ModelFit<GammaGammaModel>(model, logLikelihood, FitGuards.Estimates(_names, estimate, errors), frequency.Length);
    }

    /// <summary>
    /// E[M | x, m] = p(γ + x m) / (px + q − 1): a weighted mean of the population mean and the customer's own mean.
    /// For x = 0 the population mean. Null when the expectation is infinite (px + q ≤ 1).
    /// </summary>
    public double? ExpectedSpend(int x, double meanSpend)
    {
        if (x <= 0)
        {
            return PopulationMeanSpend;
        }

        var denominator = (P * x) + Q - 1;
        return denominator > 0 ? P * (Gamma + (x * meanSpend)) / denominator : null;
    }
}
