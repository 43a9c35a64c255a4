using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics;
using Samlet.Analytics.Lifetime;

namespace Samlet.Core.Tests.Analytics.Lifetime;

public sealed class BgNbdModelTests
{
    private static readonly BgNbdModel _published = new(0.243, 4.414, 0.793, 2.426);

    [Fact]
    public void Fits_BG_NBD_parameters_published_for_CDNOW()
    {
        var fit = BgNbdModel.Fit(CdnowSample.Summary);

        // Fader, Hardie & Lee (2005) report three decimals.
        Assert.Equal(0.243, fit.Model.R, 0.0006);
        Assert.Equal(4.414, fit.Model.Alpha, 0.0006);
        Assert.Equal(0.793, fit.Model.A, 0.0006);
        Assert.Equal(2.426, fit.Model.B, 0.0006);
        Assert.Equal(-9582.4, fit.LogLikelihood, 0.06);
        Assert.Equal(2357, fit.Customers);
    }

    [Fact]
    public void Log_likelihood_equals_the_textbook_formula_summed_customer_by_customer()
    {
        var data = CdnowSample.Summary;
        double r = _published.R, alpha = _published.Alpha, a = _published.A, b = _published.B;
        var expected = 0.0;
        for (var i = 0; i < data.Count; i++)
        {
            int x = data.Frequency[i];
            double tx = data.Recency[i], t = data.Age[i];
            var common = SpecialFunctions.Gamma(r + x) * Math.Pow(alpha, r) / SpecialFunctions.Gamma(r);
            var beta = SpecialFunctions.BetaLn(a, b);
            var alive = Math.Exp(SpecialFunctions.BetaLn(a, b + x) - beta) * Math.Pow(alpha + t, -(r + x));
            var dead = x > 0 ? Math.Exp(SpecialFunctions.BetaLn(a + 1, b + x - 1) - beta) * Math.Pow(alpha + tx, -(r + x)) : 0;
            expected += Math.Log(common * (alive + dead));
        }

        Assert.Equal(expected, _published.LogLikelihood(data), 1e-6);
    }

    [Fact]
    public void Analytic_gradient_matches_finite_differences()
    {
        var likelihood = new BgNbdLikelihood(CompressedHistories.From(CdnowSample.Summary));
        double[] point = [0.4, 6.0, 1.3, 3.1];
        var gradient = new double[4];
        likelihood.Evaluate(point, gradient);

        for (var i = 0; i < 4; i++)
        {
            var h = 1e-6 * point[i];
            var up = (double[])point.Clone();
            var down = (double[])point.Clone();
            up[i] += h;
            down[i] -= h;
            var numeric = (likelihood.Evaluate(up, Span<double>.Empty) - likelihood.Evaluate(down, Span<double>.Empty)) / (2 * h);
            Assert.Equal(numeric, gradient[i], Math.Abs(numeric) * 1e-5);
        }
    }

    [Fact]
    public void Standard_errors_from_gradient_and_value_Hessians_agree()
    {
        var fit = BgNbdModel.Fit(CdnowSample.Summary);
        var likelihood = new BgNbdLikelihood(CompressedHistories.From(CdnowSample.Summary));
        var estimate = fit.Parameters.Select(p => p.Value).ToArray();

        var fromValues = StandardErrors.FromValues(p => likelihood.Evaluate(p, Span<double>.Empty), estimate);

        Assert.NotNull(fromValues);
        for (var i = 0; i < 4; i++)
        {
            var error = fit.Parameters[i].StandardError;
            Assert.NotNull(error);
            Assert.InRange(error.Value, 1e-4 * estimate[i], estimate[i]);
            Assert.Equal(fromValues[i], error.Value, error.Value * 0.01);
        }
    }

    [Theory]
    [InlineData(0, 0.0, 38.0, 39.0)]
    [InlineData(2, 30.0, 38.0, 39.0)]
    [InlineData(7, 20.0, 36.0, 52.0)]
    [InlineData(1, 5.0, 35.0, 1000.0)]
    [InlineData(0, 0.0, 0.0, 20.0)]
    public void Conditional_expectation_matches_integration_over_the_posterior(int x, double tx, double age, double horizon)
    {
        var expected = PosteriorExpectation(_published, x, tx, age, horizon);

        Assert.Equal(expected, _published.ExpectedPurchases(horizon, x, tx, age), expected * 1e-6);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(1.00001)]
    [InlineData(0.99999)]
    public void Conditional_expectation_is_continuous_where_a_equals_one(double a)
    {
        var model = new BgNbdModel(0.5, 5, a, 3);

        foreach (var horizon in (double[])[10, 200])
        {
            var expected = PosteriorExpectation(model, 3, 12, 30, horizon);
            Assert.Equal(expected, model.ExpectedPurchases(horizon, 3, 12, 30), expected * 1e-5);
        }
    }

    [Fact]
    public void Predictions_are_probabilities_and_grow_with_the_horizon()
    {
        var positive = Gen.Choose(1, 2000).Select(i => i / 100.0);
        var customer = Gen.Zip(Gen.Choose(0, 60), Gen.Zip(Gen.Choose(0, 1000).Select(i => i / 1000.0), Gen.Choose(0, 2000).Select(i => i / 10.0)));
        var cases = Gen.Zip(Gen.Zip(Gen.Zip(positive, positive), Gen.Zip(positive, positive)), customer);

        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (((r, alpha), (a, b)), (x, (share, age))) = c;
            var model = new BgNbdModel(r, alpha, a, b);
            var tx = x == 0 ? 0 : share * age;
            var alive = model.ProbabilityAlive(x, tx, age);
            var previous = 0.0;
            foreach (var horizon in (double[])[1, 5, 26, 52, 200, 1000])
            {
                // Increasing, but it may saturate within double precision when customers drop out fast.
                var expected = model.ExpectedPurchases(horizon, x, tx, age);
                if (!(expected > 0 && expected >= previous * (1 - 1e-12)))
                {
                    return false;
                }

                previous = expected;
            }

            return alive is >= 0 and <= 1;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void Predicts_CDNOW_holdout_repeat_purchases_close_to_those_observed()
    {
        var data = CdnowSample.Summary;
        var fit = BgNbdModel.Fit(data);

        var holdout = CustomerValuation.CompareHoldout(fit.Model, data);

        Assert.Equal(39, holdout.Length, 1e-12);
        Assert.Equal(data.HoldoutPurchases!.Sum(), holdout.Actual);
        // A stationary model fitted on 39 weeks under-forecasts CDNOW's next 39 weeks somewhat (see docs/analytics.md);
        // 15% bounds that gap while still catching a wrong time unit or a wrong formula (errors of 2x and more).
        Assert.InRange(holdout.Predicted / holdout.Actual, 0.85, 1.15);
    }

    /// <summary>
    /// E[Y(t)] computed independently of any hypergeometric function: integrate λ out in closed form and the dropout
    /// probability p numerically (Simpson's rule after p = u^(1/a), which removes the p^(a−1) singularity).
    /// Given λ and p, an active customer buys (1 − e^(−λpt))/p times in t on average.
    /// </summary>
    private static double PosteriorExpectation(BgNbdModel m, int x, double tx, double age, double horizon)
    {
        const int steps = 20_000;
        var rx = m.R + x;
        var atT = Math.Pow(m.Alpha + age, -rx);
        double Integrand(double u)
        {
            if (u == 0)
            {
                return (1 / m.A) * rx * horizon / (m.Alpha + age) * atT; // the limit p → 0
            }

            var p = Math.Pow(u, 1 / m.A);
            var future = (atT - Math.Pow(m.Alpha + age + (p * horizon), -rx)) / p;
            return (1 / m.A) * Math.Pow(1 - p, x + m.B - 1) * future;
        }

        var sum = Integrand(0) + Integrand(1);
        for (var k = 1; k < steps; k++)
        {
            sum += (k % 2 == 1 ? 4 : 2) * Integrand((double)k / steps);
        }

        var numerator = sum / (3.0 * steps) / SpecialFunctions.Beta(m.A, m.B);
        var beta = SpecialFunctions.BetaLn(m.A, m.B);
        var likelihood = (Math.Exp(SpecialFunctions.BetaLn(m.A, m.B + x) - beta) * atT)
            + (x > 0 ? Math.Exp(SpecialFunctions.BetaLn(m.A + 1, m.B + x - 1) - beta) * Math.Pow(m.Alpha + tx, -rx) : 0);
        return numerator / likelihood;
    }
}
