using System.Globalization;
using BenchmarkDotNet.Attributes;
using Samlet.Analytics.Lifetime;
using Samlet.Analytics.Transactions;

namespace Samlet.Benchmarks.Analytics;

/// <summary>
/// BG/NBD + Gamma-Gamma fitting and scoring, on the CDNOW sample (targets: fit under 100 ms) and on one million
/// customers drawn from the published CDNOW estimates (target: fit and score under 30 s).
/// </summary>
[Config(typeof(ShortRunConfig))]
[MemoryDiagnoser]
public class LifetimeBenchmarks // not sealed: BenchmarkDotNet refuses sealed benchmark classes
{
    private CalibrationSummary _cdnow = null!;
    private CalibrationSummary _million = null!;

    [GlobalSetup]
    public void Setup()
    {
        _cdnow = CalibrationSummary.FromTransactions(CdnowTransactions(), new DateOnly(1997, 9, 30), TimeUnit.Weeks, hasAmounts: true);
        _million = BgNbdSimulation.Draw(
            new BgNbdModel(0.243, 4.414, 0.793, 2.426), new GammaGammaModel(6.25, 3.74, 15.44), 1_000_000, cohortDays: 365, wholeDays: true, seed: 42);
    }

    [Benchmark]
    public double Cdnow_BG_NBD_fit() => BgNbdModel.Fit(_cdnow).LogLikelihood;

    [Benchmark]
    public double Cdnow_Gamma_Gamma_fit() => GammaGammaModel.Fit(_cdnow).LogLikelihood;

    [Benchmark]
    public int Cdnow_fit_and_score() => FitAndScore(_cdnow, discountRate: 0);

    [Benchmark]
    public int Million_fit_and_score() => FitAndScore(_million, discountRate: 0);

    [Benchmark]
    public int Million_fit_and_score_discounted() => FitAndScore(_million, discountRate: 0.002);

    private static int FitAndScore(CalibrationSummary data, double discountRate)
    {
        var purchases = BgNbdModel.Fit(data);
        var spend = GammaGammaModel.Fit(data);
        return CustomerValuation.Score(purchases.Model, spend.Model, data, horizon: 52, discountRate).Count;
    }

    /// <summary>The CDNOW sample from the test fixtures (see tests/Samlet.Core.Tests/Fixtures/README.md).</summary>
    private static List<Transaction> CdnowTransactions()
    {
        var transactions = new List<Transaction>();
        foreach (var line in File.ReadLines(FixtureFiles.Find("cdnow", "CDNOW_sample.txt")))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 5)
            {
                var date = DateOnly.ParseExact(fields[2], "yyyyMMdd", CultureInfo.InvariantCulture);
                transactions.Add(new Transaction(fields[1], date, double.Parse(fields[4], CultureInfo.InvariantCulture)));
            }
        }

        return transactions;
    }
}
