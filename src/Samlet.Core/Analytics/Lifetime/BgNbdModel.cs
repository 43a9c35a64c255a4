namespace Samlet.Analytics.Lifetime;

/// <summary>
/// The BG/NBD model (Fader, Hardie &amp; Lee 2005): while active, a customer buys at Poisson rate λ ~ Gamma(r, α);
/// after each purchase they drop out with probability p ~ Beta(a, b).
/// </summary>
public sealed class BgNbdModel : IRepeatPurchaseModel
{
    private const string Label = "BG/NBD";
    private static readonly string[] _names = ["r", "alpha", "a", "b"];

    public BgNbdModel(double r, double alpha, double a, double b)
    {
        FitGuards.RequirePositiveFinite(Label, nameof(r), [r, alpha, a, b]);

        R = r;
        Alpha = alpha;
        A = a;
        B = b;
    }

    public double R { get; }

    public double Alpha { get; }

    public double A { get; }

    public double B { get; }

    public string Name => "bgnbd";

    public static IReadOnlyList<string> ParameterNames => _names;

    /// <summary>Maximum-likelihood fit from three starting points, with standard errors.</summary>
    public static ModelFit<BgNbdModel> Fit(CalibrationSummary data)
    {
        FitGuards.RequireRepeatData(data, Label);
        var likelihood = new BgNbdLikelihood(CompressedHistories.From(data));
        var (meanX, meanT) = FitGuards.Means(data);
        var alpha = meanT / Math.Max(meanX, 0.1);
        double[][] starts = [[1, alpha, 1, 1], [0.5, alpha / 2, 0.5, 2], [2, alpha * 2, 2, 5]];
        var (estimate, logLikelihood) = LikelihoodMaximizer.Maximize(Label, likelihood.Evaluate, hasGradient: true, starts, data.Count);
        FitGuards.RequireInterior(Label, _names, estimate);
        var errors = StandardErrors.FromGradient(likelihood.Evaluate, estimate);
        var model = new BgNbdModel(estimate[0], estimate[1], estimate[2], estimate[3]);
        return new ModelFit<BgNbdModel>(model, logLikelihood, FitGuards.Estimates(_names, estimate, errors), data.Count);
    }

    public double LogLikelihood(CalibrationSummary data) =>
        new BgNbdLikelihood(CompressedHistories.From(data)).Evaluate([R, Alpha, A, B], Span<double>.Empty);

    public double ProbabilityAlive(int x, double tx, double age)
    {
        if (x == 0)
        {
            return 1; // dropout can only follow a purchase
        }

        var logOdds = Math.Log(A / (B + x - 1)) + ((R + x) * (Math.Log(Alpha + age) - Math.Log(Alpha + tx)));
        return 1 / (1 + Math.Exp(logOdds));
    }

    /// <summary>
    /// E[Y(t) | x, tx, T] = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x−1; z)] · P(alive),
    /// z = t/(α+T+t). Evaluated through Euler's transformation, (1−z)^(r+x) 2F1(...) = (1−z)^(a−1) 2F1(a+b−1−r, a−1; a+b+x−1; z),
    /// which keeps the series parameters small and makes the a → 1 limit continuous.
    /// </summary>
    public double ExpectedPurchases(double horizon, int x, double tx, double age)
    {
        if (!(horizon > 0))
        {
            return 0;
        }

        var c = A + B + x - 1;
        if (Math.Abs(c) < 1e-9)
        {
            // a + b = 1 with x = 0: a removable singularity; average either side of it.
            var below = new BgNbdModel(R, Alpha, A, B - 1e-7).ExpectedPurchases(horizon, x, tx, age);
            var above = new BgNbdModel(R, Alpha, A, B + 1e-7).ExpectedPurchases(horizon, x, tx, age);
            return (below + above) / 2;
        }

        var z = horizon / (Alpha + age + horizon);
        var logOneMinusZ = -SmallArguments.Log1P(horizon / (Alpha + age));
        return c * Bracket(z, logOneMinusZ, c) * ProbabilityAlive(x, tx, age);
    }

    /// <summary>[1 − (1−z)^ε F(A', ε; c; z)] / ε with ε = a − 1 and A' = a + b − 1 − r.</summary>
    private double Bracket(double z, double logOneMinusZ, double c)
    {
        var epsilon = A - 1;
        var first = A + B - 1 - R;
        if (z > 0.9 && Math.Abs(epsilon) >= 1e-4)
        {
            var f = GaussHypergeometric.Value(first, epsilon, c, z);
            if (double.IsFinite(f))
            {
                return (1 - (Math.Exp(epsilon * logOneMinusZ) * f)) / epsilon;
            }
        }

        // F = 1 + ε G with G = Σ_{n≥1} (A')_n (a)_{n−1} / ((c)_n n!) z^n, so no cancellation as ε → 0.
        var term = first * z / c;
        var g = term;
        for (var n = 1; n < 2_000_000 && term != 0; n++)
        {
            term *= (first + n) * (A + n - 1) / ((c + n) * (n + 1)) * z;
            g += term;
            if (n > 2 + Math.Max(-first, -c) && Math.Abs(term) <= 1e-16 * Math.Abs(g))
            {
                break;
            }
        }

        return SmallArguments.OneMinusExpOver(epsilon, logOneMinusZ) - (Math.Exp(epsilon * logOneMinusZ) * g);
    }
}
