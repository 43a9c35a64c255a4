using Samlet.Analytics.Lifetime;
using Samlet.Analytics.Transactions;

namespace Samlet.Core.Tests.Analytics.Lifetime;

public sealed class CalibrationSummaryTests
{
    private static readonly DateOnly _start = new(2024, 1, 1);

    [Fact]
    public void Summarises_CDNOW_as_the_literature_does()
    {
        var data = CdnowSample.Summary;
        var raw = CdnowSample.Transactions();
        var days = raw.Select(t => (t.CustomerId, t.Date)).Distinct().Count();

        Assert.Equal(2357, data.Count);
        Assert.Equal(6696, days);
        // Every purchase day is a birth, a calibration repeat or a holdout repeat (the data end on the holdout end).
        Assert.Equal(days, data.Count + data.Frequency.Sum() + data.HoldoutPurchases!.Sum());
        Assert.Equal(946, data.Frequency.Count(x => x > 0));
        Assert.Equal(39, data.HoldoutLength, 1e-12);
    }

    [Fact]
    public void Counts_one_purchase_per_day_and_not_the_first_one()
    {
        Transaction[] transactions =
        [
            new("a", _start, 10),
            new("a", _start, 5), // same day as the birth: merged into it, not a repeat
            new("a", _start.AddDays(14), 20),
            new("a", _start.AddDays(14), 4), // same day: one repeat worth 24
            new("a", _start.AddDays(28), 30),
            new("a", _start.AddDays(40), 99), // holdout
            new("b", _start.AddDays(7), 8),
            new("c", _start.AddDays(41), 8), // born after the calibration end
        ];

        var data = CalibrationSummary.FromTransactions(transactions, _start.AddDays(35), TimeUnit.Weeks, hasAmounts: true, _start.AddDays(49));

        Assert.Equal(["a", "b"], data.CustomerIds);
        Assert.Equal([2, 0], data.Frequency);
        Assert.Equal([4.0, 0.0], data.Recency);
        Assert.Equal([5.0, 4.0], data.Age);
        Assert.Equal([(24.0 + 30.0) / 2, 0.0], data.MeanRepeatSpend!);
        Assert.Equal([1, 0], data.HoldoutPurchases!);
        Assert.Equal(2.0, data.HoldoutLength);
        Assert.Equal(1, data.CustomersBornAfterCalibration);
    }

    [Fact]
    public void Measures_time_in_days_when_asked()
    {
        Transaction[] transactions = [new("a", _start, 1), new("a", _start.AddDays(3), 1)];

        var data = CalibrationSummary.FromTransactions(transactions, _start.AddDays(10), TimeUnit.Days, hasAmounts: false);

        Assert.Equal([3.0], data.Recency);
        Assert.Equal([10.0], data.Age);
        Assert.Null(data.MeanRepeatSpend);
        Assert.Null(data.HoldoutPurchases);
    }

    [Fact]
    public void Refuses_a_holdout_that_ends_before_the_calibration()
    {
        Assert.Throws<ArgumentException>(() =>
            CalibrationSummary.FromTransactions([new("a", _start, 1)], _start.AddDays(10), TimeUnit.Days, false, _start.AddDays(10)));
    }

    [Fact]
    public void Refuses_inconsistent_summaries()
    {
        Assert.Throws<ArgumentException>(() => new CalibrationSummary(["a"], [0], [2.0], [5.0]));
        Assert.Throws<ArgumentException>(() => new CalibrationSummary(["a"], [1], [6.0], [5.0]));
        Assert.Throws<ArgumentException>(() => new CalibrationSummary(["a"], [1], [2.0], [5.0], [-1.0]));
    }
}
