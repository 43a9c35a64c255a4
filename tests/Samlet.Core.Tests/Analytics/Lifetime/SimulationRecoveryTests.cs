using Samlet.Analytics.Lifetime;

namespace Samlet.Core.Tests.Analytics.Lifetime;

public sealed class SimulationRecoveryTests
{
    [Fact]
    public void Fits_recover_the_parameters_customers_were_drawn_from()
    {
        var truth = new BgNbdModel(0.243, 4.414, 0.793, 2.426);
        var spendTruth = new GammaGammaModel(6.25, 3.74, 15.44);
        var data = BgNbdSimulation.Draw(truth, spendTruth, customers: 200_000, cohortDays: 365, wholeDays: false, seed: 11);

        var fit = BgNbdModel.Fit(data);
        var spend = GammaGammaModel.Fit(data);

        // Each estimate within four of its own standard errors of the truth (a 1-in-15,000 miss per parameter).
        double[] purchaseTruth = [truth.R, truth.Alpha, truth.A, truth.B];
        for (var i = 0; i < 4; i++)
        {
            var e = fit.Parameters[i];
            Assert.InRange(purchaseTruth[i], e.Value - (4 * e.StandardError!.Value), e.Value + (4 * e.StandardError.Value));
        }

        double[] spendValues = [spendTruth.P, spendTruth.Q, spendTruth.Gamma];
        for (var i = 0; i < 3; i++)
        {
            var e = spend.Parameters[i];
            Assert.InRange(spendValues[i], e.Value - (4 * e.StandardError!.Value), e.Value + (4 * e.StandardError.Value));
        }
    }
}
