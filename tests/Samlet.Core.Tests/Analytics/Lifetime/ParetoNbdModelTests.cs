using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics;
using Samlet.Analytics.Lifetime;

namespace Samlet.Core.Tests.Analytics.Lifetime;

public sealed class ParetoNbdModelTests
{
    [Fact]
    public void Fits_Pareto_NBD_parameters_published_by_Fader_Hardie_and_Lee()
    {
        var fit = ParetoNbdModel.Fit(CdnowSample.Summary);

        Assert.Equal(0.553, fit.Model.R, 0.0006);
        Assert.Equal(10.578, fit.Model.Alpha, 0.0006);
        Assert.Equal(0.606, fit.Model.S, 0.0006);
        Assert.Equal(11.669, fit.Model.Beta, 0.0006);
        Assert.Equal(-9595.0, fit.LogLikelihood, 0.06);
        Assert.All(fit.Parameters, p => Assert.InRange(p.StandardError!.Value, 1e-4 * p.Value, 2 * p.Value));
    }

    [Theory]
    [InlineData(0.553, 10.578, 0.606, 11.669)] // α < β
    [InlineData(0.8, 30.0, 1.4, 2.0)] // α > β
    [InlineData(0.3, 200.0, 0.5, 0.05)] // α ≫ β: hypergeometric argument close to 1
    [InlineData(0.5, 0.02, 2.0, 300.0)] // β ≫ α
    [InlineData(1.0, 5.0, 1.0, 5.0)] // α = β, integer s
    public void Likelihood_matches_integration_over_the_dropout_time(double r, double alpha, double s, double beta)
    {
        var model = new ParetoNbdModel(r, alpha, s, beta);
        (int X, double Tx, double T)[] customers = [(0, 0, 38), (3, 20.5, 38), (12, 35, 36), (1, 0.5, 0.6), (0, 0, 0)];

        foreach (var (x, tx, t) in customers)
        {
            var data = new CalibrationSummary(["c"], [x], [tx], [t]);
            var expected = IntegratedLogLikelihood(model, x, tx, t, out var alive);

            Assert.Equal(expected, model.LogLikelihood(data), Math.Abs(expected) * 1e-7);
            Assert.Equal(alive, model.ProbabilityAlive(x, tx, t), 1e-7);
        }
    }

    [Theory]
    [InlineData(0.553, 10.578, 0.606, 11.669)]
    [InlineData(0.3, 200.0, 0.5, 0.05)]
    public void Quadrature_fallback_agrees_with_the_hypergeometric_route(double r, double alpha, double s, double beta)
    {
        const int x = 4;
        const double tx = 7.5, age = 30;
        var logBracket = ParetoNbdLikelihood.LogBracket(r, alpha, s, beta, x, tx, age, out _);
        var logAtTx = -((r + x) * Math.Log(alpha + tx)) - (s * Math.Log(beta + tx));
        var logAtT = -((r + x) * Math.Log(alpha + age)) - (s * Math.Log(beta + age));

        var integral = ParetoNbdLikelihood.IntegralOverDeathTime(r + x, alpha, s, beta, tx, age, logAtTx);

        Assert.Equal(logBracket, logAtTx + Math.Log(Math.Exp(logAtT - logAtTx) + (s * integral)), 1e-8);
    }

    [Fact]
    public void Predictions_are_probabilities_and_grow_with_the_horizon()
    {
        var positive = Gen.Choose(1, 2000).Select(i => i / 100.0);
        var customer = Gen.Zip(Gen.Choose(0, 60), Gen.Zip(Gen.Choose(0, 1000).Select(i => i / 1000.0), Gen.Choose(0, 2000).Select(i => i / 10.0)));
        var cases = Gen.Zip(Gen.Zip(Gen.Zip(positive, positive), Gen.Zip(positive, positive)), customer);

        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (((r, alpha), (s, beta)), (x, (share, age))) = c;
            var model = new ParetoNbdModel(r, alpha, s, beta);
            var tx = x == 0 ? 0 : share * age;
            var alive = model.ProbabilityAlive(x, tx, age);
            var previous = 0.0;
            foreach (var horizon in (double[])[1, 5, 26, 52, 200, 1000])
            {
                var expected = model.ExpectedPurchases(horizon, x, tx, age);
                if (!(expected >= previous * (1 - 1e-12)) || !double.IsFinite(expected))
                {
                    return false;
                }

                previous = expected;
            }

            return alive is >= 0 and <= 1;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Theory]
    [InlineData(0.99999)]
    [InlineData(1.0)]
    [InlineData(1.00001)]
    public void Expected_purchases_are_continuous_where_s_equals_one(double s)
    {
        var model = new ParetoNbdModel(0.5, 10, s, 12);
        // At s = 1 the lifetime factor is ln(1 + t/(β+T)).
        var expected = (0.5 + 2) * (12 + 30) / (10 + 30.0) * Math.Log(1 + (39 / (12 + 30.0))) * model.ProbabilityAlive(2, 25, 30);

        Assert.Equal(expected, model.ExpectedPurchases(39, 2, 25, 30), expected * 1e-4);
    }

    [Fact]
    public void Predicts_CDNOW_holdout_repeat_purchases_close_to_those_observed()
    {
        var holdout = CustomerValuation.CompareHoldout(new ParetoNbdModel(0.553, 10.578, 0.606, 11.669), CdnowSample.Summary);

        Assert.InRange(holdout.Predicted / holdout.Actual, 0.85, 1.15);
    }

    /// <summary>
    /// ln L from its integral form, without hypergeometric functions: given λ and μ, a customer is either still active
    /// at T or died at some τ in (tx, T]; integrating λ and μ out in closed form leaves
    /// L = Γ(r+x)α^r β^s/Γ(r) · [ (α+T)^−(r+x)(β+T)^−s + s ∫_tx^T (α+τ)^−(r+x) (β+τ)^−(s+1) dτ ],
    /// integrated by Simpson's rule on τ = e^u − β, which flattens the peak near τ = 0 when β is small.
    /// </summary>
    private static double IntegratedLogLikelihood(ParetoNbdModel m, int x, double tx, double t, out double alive)
    {
        const int steps = 20_000;
        var rx = m.R + x;
        double Integrand(double u)
        {
            var tau = Math.Exp(u) - m.Beta;
            return Math.Pow(m.Alpha + tau, -rx) * Math.Pow(m.Beta + tau, -m.S);
        }

        double from = Math.Log(m.Beta + tx), to = Math.Log(m.Beta + t);
        var h = (to - from) / steps;
        var sum = Integrand(from) + Integrand(to);
        for (var k = 1; k < steps; k++)
        {
            sum += (k % 2 == 1 ? 4 : 2) * Integrand(from + (k * h));
        }

        var activeAtT = Math.Pow(m.Alpha + t, -rx) * Math.Pow(m.Beta + t, -m.S);
        var bracket = activeAtT + (m.S * sum * h / 3);
        alive = activeAtT / bracket;
        return SpecialFunctions.GammaLn(rx) - SpecialFunctions.GammaLn(m.R) + (m.R * Math.Log(m.Alpha)) + (m.S * Math.Log(m.Beta)) + Math.Log(bracket);
    }
}
