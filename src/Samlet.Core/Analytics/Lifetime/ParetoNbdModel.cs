namespace Samlet.Analytics.Lifetime;

/// <summary>
/// The Pareto/NBD model: while active, a customer buys at Poisson rate λ ~ Gamma(r, α) and stays active for an
/// exponential lifetime of rate μ ~ Gamma(s, β).
/// </summary>
public sealed class ParetoNbdModel : IRepeatPurchaseModel
{
    private const string Label = "Pareto/NBD";
    private static readonly string[] _names = ["r", "alpha", "s", "beta"];

    public ParetoNbdModel(double r, double alpha, double s, double beta)
    {
        FitGuards.RequirePositiveFinite(Label, nameof(r), [r, alpha, s, beta]);

        R = r;
        Alpha = alpha;
        S = s;
        Beta = beta;
    }

    public double R { get; }

    public double Alpha { get; }

    public double S { get; }

    public double Beta { get; }

    public string Name => "paretonbd";

    public static IReadOnlyList<string> ParameterNames => _names;

    /// <summary>Maximum-likelihood fit by Nelder–Mead from three starting points, with standard errors.</summary>
    public static ModelFit<ParetoNbdModel> Fit(CalibrationSummary data)
    {
        FitGuards.RequireRepeatData(data, Label);
        var likelihood = new ParetoNbdLikelihood(CompressedHistories.From(data));
        var (meanX, meanT) = FitGuards.Means(data);
        var alpha = meanT / Math.Max(meanX, 0.1);
        double[][] starts = [[1, alpha, 1, meanT], [0.5, alpha / 2, 0.5, meanT / 2], [2, alpha * 2, 2, meanT * 2]];
        var (estimate, logLikelihood) = LikelihoodMaximizer.Maximize(
            Label, (p, _) => likelihood.Evaluate(p), hasGradient: false, starts, data.Count);
        FitGuards.RequireInterior(Label, _names, estimate);
        var errors = StandardErrors.FromValues(p => likelihood.Evaluate(p), estimate);
        var model = new ParetoNbdModel(estimate[0], estimate[1], estimate[2], estimate[3]);
        return new ModelFit<ParetoNbdModel>(model, logLikelihood, FitGuards.Estimates(_names, estimate, errors), data.Count);
    }

    public double LogLikelihood(CalibrationSummary data) =>
        new ParetoNbdLikelihood(CompressedHistories.From(data)).Evaluate([R, Alpha, S, Beta]);

    public double ProbabilityAlive(int x, double tx, double age)
    {
        ParetoNbdLikelihood.LogBracket(R, Alpha, S, Beta, x, tx, age, out var alive);
        return alive;
    }

    /// <summary>
    /// E[Y(t) | x, tx, T] = (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive), continuous at s = 1
    /// where the bracket over (s−1) becomes ln(1 + t/(β+T)).
    /// </summary>
    public double ExpectedPurchases(double horizon, int x, double tx, double age)
    {
        if (!(horizon > 0))
        {
            return 0;
        }

        var lifetime = SmallArguments.OneMinusExpOver(S - 1, -SmallArguments.Log1P(horizon / (Beta + age)));
        return (R + x) * (Beta + age) / (Alpha + age) * lifetime * ProbabilityAlive(x, tx, age);
    }
}
