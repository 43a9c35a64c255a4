using Samlet.Analytics.Lifetime;

namespace Samlet.Core.Tests.Analytics.Lifetime;

public sealed class BgNbdModelTests
{
    private static CalibrationSummary Cdnow() =>
        CalibrationSummary.FromTransactions(CdnowSample.Transactions(), CdnowSample.CalibrationEnd, TimeUnit.Weeks, hasAmounts: true, CdnowSample.HoldoutEnd);

    [Fact]
    public void Fits_BG_NBD_parameters_published_for_CDNOW()
    {
        var fit = BgNbdModel.Fit(Cdnow());

        Assert.Equal(0.243, fit.Model.R, 0.0015);
        Assert.Equal(4.414, fit.Model.Alpha, 0.015);
        Assert.Equal(0.793, fit.Model.A, 0.0015);
        Assert.Equal(2.426, fit.Model.B, 0.015);
        Assert.Equal(-9582.4, fit.LogLikelihood, 0.15);
    }
}
