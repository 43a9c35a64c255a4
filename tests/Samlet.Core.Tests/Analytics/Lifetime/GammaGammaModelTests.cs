using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.Distributions;
using Samlet.Analytics.Lifetime;

namespace Samlet.Core.Tests.Analytics.Lifetime;

public sealed class GammaGammaModelTests
{
    [Fact]
    public void Fits_Gamma_Gamma_parameters_published_for_CDNOW()
    {
        var fit = GammaGammaModel.Fit(CdnowSample.Summary);

        // Fader & Hardie (2013) report two decimals.
        Assert.Equal(946, fit.Customers);
        Assert.Equal(6.25, fit.Model.P, 0.006);
        Assert.Equal(3.74, fit.Model.Q, 0.006);
        Assert.Equal(15.44, fit.Model.Gamma, 0.006);
        Assert.All(fit.Parameters, p => Assert.InRange(p.StandardError!.Value, 1e-4 * p.Value, p.Value));
    }

    [Fact]
    public void Log_likelihood_equals_the_gamma_mixture_integrated_numerically()
    {
        var data = CdnowSample.Summary;
        var x = new List<int>();
        var spend = new List<double>();
        for (var i = 0; i < data.Count; i++)
        {
            if (data.Frequency[i] > 0)
            {
                x.Add(data.Frequency[i]);
                spend.Add(data.MeanRepeatSpend![i]);
            }
        }

        double p = 6.25, q = 3.74, gamma = 15.44;
        var expected = 0.0;
        for (var i = 0; i < x.Count; i++)
        {
            // Given ν the mean of x Gamma(p, ν) values is Gamma(px, xν); integrate ν ~ Gamma(q, γ) out on u = ln ν.
            // Densities in logs, scaled by their value at the posterior mode of ν, (px + q − 1) / (γ + x m).
            double px = p * x[i], m = spend[i];
            double LogIntegrand(double u) => u + Gamma.PDFLn(q, gamma, Math.Exp(u)) + Gamma.PDFLn(px, x[i] * Math.Exp(u), m);
            var scale = LogIntegrand(Math.Log((px + q - 1) / (gamma + (x[i] * m))));
            var integral = Simpson(u => Math.Exp(LogIntegrand(u) - scale), Math.Log(1e-6), Math.Log(1e4), 4_000);
            expected += scale + Math.Log(integral);
        }

        var likelihood = new GammaGammaLikelihood([.. x], [.. spend]);

        Assert.Equal(expected, likelihood.Evaluate([p, q, gamma], Span<double>.Empty), Math.Abs(expected) * 1e-8);
    }

    [Fact]
    public void Expected_spend_lies_between_the_population_mean_and_the_customers_own_mean()
    {
        var model = new GammaGammaModel(6.25, 3.74, 15.44);
        var population = model.PopulationMeanSpend!.Value;
        var cases = Gen.Zip(Gen.Choose(1, 200), Gen.Choose(1, 100_000).Select(i => i / 100.0));

        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (x, mean) = c;
            var expected = model.ExpectedSpend(x, mean)!.Value;
            return expected >= Math.Min(population, mean) - 1e-9 && expected <= Math.Max(population, mean) + 1e-9;
        }).QuickCheckThrowOnFailure();
        Assert.Equal(population, model.ExpectedSpend(0, 0));
    }

    [Fact]
    public void Has_no_population_mean_when_q_is_at_most_one()
    {
        var model = new GammaGammaModel(2, 0.8, 10);

        Assert.Null(model.PopulationMeanSpend);
        Assert.Null(model.ExpectedSpend(0, 0));
        Assert.NotNull(model.ExpectedSpend(3, 25));
    }

    [Fact]
    public void Refuses_spend_without_variation()
    {
        var error = Assert.Throws<ModelFitException>(() => GammaGammaModel.Fit([1, 2, 5], [10.0, 10.0, 10.0]));

        Assert.Contains("same mean spend", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_fewer_than_two_customers()
    {
        Assert.Throws<ModelFitException>(() => GammaGammaModel.Fit([3], [10.0]));
    }

    [Fact]
    public void Leaves_customers_with_zero_spend_out_of_the_fit_but_still_predicts_their_spend()
    {
        var cdnow = CdnowSample.Summary;
        var spend = cdnow.MeanRepeatSpend!.ToArray();
        var zeroed = 0;
        for (var i = 0; i < spend.Length && zeroed < 10; i++)
        {
            if (cdnow.Frequency[i] > 0)
            {
                spend[i] = 0;
                zeroed++;
            }
        }

        var data = new CalibrationSummary(cdnow.CustomerIds, [.. cdnow.Frequency], [.. cdnow.Recency], [.. cdnow.Age], spend);

        var fit = GammaGammaModel.Fit(data);

        Assert.Equal(946 - 10, fit.Customers);
        Assert.True(fit.Model.ExpectedSpend(1, 0.0) > 0);
    }

    [Fact]
    public void Refuses_a_summary_without_amounts()
    {
        var data = new CalibrationSummary(["a", "b"], [2, 1], [5, 3], [10, 10]);

        Assert.Throws<ModelFitException>(() => GammaGammaModel.Fit(data));
    }

    private static double Simpson(Func<double, double> f, double from, double to, int steps)
    {
        var h = (to - from) / steps;
        var sum = f(from) + f(to);
        for (var k = 1; k < steps; k++)
        {
            sum += (k % 2 == 1 ? 4 : 2) * f(from + (k * h));
        }

        return sum * h / 3;
    }
}
