using Samlet.Analytics.Attribution;

namespace Samlet.Core.Tests.Analytics.Attribution;

/// <summary>
/// Hand-computed credits on three converting paths and one that never converts:
/// "a > b > c" (1 conversion, value 10), "a > a" (2, value 4), "c" (1, value 1), "b" (0 conversions, 5 nulls).
/// </summary>
public sealed class HeuristicAttributionTests
{
    private static readonly ConversionPath[] _paths =
    [
        new(["a", "b", "c"], 1, 10),
        new(["a", "a"], 2, 4),
        new(["c"], 1, 1),
        new(["b"], 0, 0, Nulls: 5),
    ];

    private static readonly AttributionReport _report = AttributionAnalysis.Run(_paths);

    [Fact]
    public void First_touch_credits_the_first_channel_of_each_path()
    {
        // a: 1 + 2 conversions, 10 + 4 value; c: 1, 1.
        AssertCredits(AttributionModel.FirstTouch, a: (3, 14), b: (0, 0), c: (1, 1));
    }

    [Fact]
    public void Last_touch_credits_the_last_channel_of_each_path()
    {
        // c: 1 + 1 conversions, 10 + 1 value; a: 2, 4.
        AssertCredits(AttributionModel.LastTouch, a: (2, 4), b: (0, 0), c: (2, 11));
    }

    [Fact]
    public void Linear_splits_each_path_equally_over_its_touches_counting_repeats()
    {
        // "a > b > c": a third each (1/3 conversion, 10/3 value); "a > a": both halves to a.
        AssertCredits(AttributionModel.Linear, a: ((1.0 / 3) + 2, (10.0 / 3) + 4), b: (1.0 / 3, 10.0 / 3), c: ((1.0 / 3) + 1, (10.0 / 3) + 1));
    }

    [Fact]
    public void Position_based_gives_40_percent_to_each_end_and_20_to_the_middle()
    {
        // "a > b > c": 0.4 / 0.2 / 0.4; "a > a": 50/50, all to a; "c": all to c.
        AssertCredits(AttributionModel.PositionBased, a: (0.4 + 2, 4 + 4), b: (0.2, 2), c: (0.4 + 1, 4 + 1));
    }

    [Fact]
    public void Time_decay_without_times_halves_the_weight_per_touch_from_the_end()
    {
        // Half-life 1 touch. "a > b > c": ages 2, 1, 0 → weights 1/4, 1/2, 1, normalised by 7/4 → 1/7, 2/7, 4/7.
        AssertCredits(AttributionModel.TimeDecay, a: ((1.0 / 7) + 2, (10.0 / 7) + 4), b: (2.0 / 7, 20.0 / 7), c: ((4.0 / 7) + 1, (40.0 / 7) + 1));
    }

    [Fact]
    public void Time_decay_uses_touch_times_and_the_half_life_when_the_path_has_them()
    {
        var start = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var path = new ConversionPath(["a", "b"], 3)
        {
            TouchTimes = [start, start.AddDays(7)],
            ConvertedAt = start.AddDays(14),
        };

        var report = AttributionAnalysis.Run([path], new AttributionOptions { HalfLife = TimeSpan.FromDays(7) });

        // Ages 2 and 1 half-lives → weights 1/4 and 1/2 → shares 1/3 and 2/3 of 3 conversions.
        var credits = report.Credits[AttributionModel.TimeDecay];
        Assert.Equal(1, credits.Single(c => c.Channel == "a").Conversions, 12);
        Assert.Equal(2, credits.Single(c => c.Channel == "b").Conversions, 12);
    }

    [Fact]
    public void Time_decay_half_life_in_touches_is_configurable()
    {
        var report = AttributionAnalysis.Run([new ConversionPath(["a", "b"], 1)], new AttributionOptions { HalfLifeInTouches = 2 });

        // Ages 0.5 and 0 half-lives → weights 2^-0.5 and 1.
        var expectedA = Math.Pow(2, -0.5) / (1 + Math.Pow(2, -0.5));
        Assert.Equal(expectedA, report.Credits[AttributionModel.TimeDecay].Single(c => c.Channel == "a").Conversions, 12);
    }

    [Fact]
    public void Reports_every_channel_for_every_model_even_with_no_credit()
    {
        Assert.Equal(["a", "b", "c"], _report.Channels);
        Assert.All(_report.Credits.Values, credits => Assert.Equal(_report.Channels, credits.Select(c => c.Channel)));
    }

    private static void AssertCredits(AttributionModel model, (double, double) a, (double, double) b, (double, double) c)
    {
        var credits = _report.Credits[model].ToDictionary(credit => credit.Channel);
        foreach (var (channel, (conversions, value)) in new[] { ("a", a), ("b", b), ("c", c) })
        {
            Assert.Equal(conversions, credits[channel].Conversions, 12);
            Assert.Equal(value, credits[channel].ConversionValue, 12);
        }
    }
}
