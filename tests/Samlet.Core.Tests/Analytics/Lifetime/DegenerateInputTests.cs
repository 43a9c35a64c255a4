using Samlet.Analytics.Lifetime;
using Samlet.Analytics.Transactions;

namespace Samlet.Core.Tests.Analytics.Lifetime;

public sealed class DegenerateInputTests
{
    private static readonly DateOnly _day = new(2024, 3, 1);

    public static TheoryData<string> Models => ["bgnbd", "paretonbd"];

    [Theory]
    [MemberData(nameof(Models))]
    public void Refuses_data_without_repeat_purchases(string model)
    {
        Transaction[] transactions = [new("a", _day, 5), new("b", _day.AddDays(3), 7), new("c", _day.AddDays(9), 1)];
        var data = CalibrationSummary.FromTransactions(transactions, _day.AddDays(30), TimeUnit.Days, true);

        var error = Assert.Throws<ModelFitException>(() => Fit(model, data));

        Assert.Contains("no customer made a repeat purchase", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Refuses_a_single_customer(string model)
    {
        Transaction[] transactions = [new("a", _day, 5), new("a", _day.AddDays(3), 7), new("a", _day.AddDays(9), 1)];
        var data = CalibrationSummary.FromTransactions(transactions, _day.AddDays(30), TimeUnit.Days, true);

        var error = Assert.Throws<ModelFitException>(() => Fit(model, data));

        Assert.Contains("single customer", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Refuses_purchases_that_all_fall_on_one_day(string model)
    {
        Transaction[] transactions = [new("a", _day, 5), new("a", _day, 7), new("b", _day, 1), new("c", _day, 2)];
        var data = CalibrationSummary.FromTransactions(transactions, _day.AddDays(30), TimeUnit.Days, true);

        var error = Assert.Throws<ModelFitException>(() => Fit(model, data));

        Assert.Contains("single day", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Refuses_data_without_customers(string model)
    {
        var data = CalibrationSummary.FromTransactions([new("a", _day.AddDays(40), 5)], _day, TimeUnit.Days, true);

        Assert.Equal(1, data.CustomersBornAfterCalibration);
        Assert.Throws<ModelFitException>(() => Fit(model, data));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Reports_an_unidentifiable_fit_instead_of_returning_nonsense(string model)
    {
        // Two identical customers who never stop buying: no heterogeneity and no dropout to estimate.
        var data = new CalibrationSummary(["a", "b"], [10, 10], [10.0, 10.0], [10.0, 10.0]);

        var error = Assert.Throws<ModelFitException>(() => Fit(model, data));

        Assert.Contains("no interior maximum", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Models_refuse_parameters_that_are_not_positive_and_finite(double bad)
    {
        for (var i = 0; i < 4; i++)
        {
            var p = new double[] { 1, 2, 3, 4 };
            p[i] = bad;
            var bgNbd = Assert.Throws<ArgumentOutOfRangeException>(() => new BgNbdModel(p[0], p[1], p[2], p[3]));
            var paretoNbd = Assert.Throws<ArgumentOutOfRangeException>(() => new ParetoNbdModel(p[0], p[1], p[2], p[3]));
            Assert.StartsWith("BG/NBD parameters must be positive and finite", bgNbd.Message, StringComparison.Ordinal);
            Assert.StartsWith("Pareto/NBD parameters must be positive and finite", paretoNbd.Message, StringComparison.Ordinal);
            if (i < 3)
            {
                var gammaGamma = Assert.Throws<ArgumentOutOfRangeException>(() => new GammaGammaModel(p[0], p[1], p[2]));
                Assert.StartsWith("Gamma-Gamma parameters must be positive and finite", gammaGamma.Message, StringComparison.Ordinal);
            }
        }
    }

    private static double Fit(string model, CalibrationSummary data) => model switch
    {
        "bgnbd" => BgNbdModel.Fit(data).LogLikelihood,
        _ => ParetoNbdModel.Fit(data).LogLikelihood,
    };
}
