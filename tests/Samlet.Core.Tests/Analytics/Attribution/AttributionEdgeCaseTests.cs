using Samlet.Analytics.Attribution;

namespace Samlet.Core.Tests.Analytics.Attribution;

public sealed class AttributionEdgeCaseTests
{
    private static readonly AttributionModel[] _allModels = Enum.GetValues<AttributionModel>();

    [Fact]
    public void Attributes_blank_channel_names_and_empty_paths_to_the_unknown_channel()
    {
        var report = AttributionAnalysis.Run(
        [
            new(["a", "", "  "], 2, 4),
            new([], 1, 1),
            new([" b "], 1, 1, 1),
        ]);

        Assert.Equal(["(unknown)", "a", "b"], report.Channels);
        var lastTouch = report.Credits[AttributionModel.LastTouch].ToDictionary(c => c.Channel, c => c.Conversions);
        Assert.Equal(3, lastTouch[AttributionAnalysis.UnknownChannel]);
        Assert.Equal(1, lastTouch["b"]); // names are trimmed
        Assert.All(_allModels, model => Assert.Equal(4, report.Credits[model].Sum(c => c.Conversions), 9));
    }

    [Fact]
    public void Refuses_no_paths_and_invalid_counts_with_clear_messages()
    {
        Assert.Contains("no paths", Assert.Throws<ArgumentException>(() => AttributionAnalysis.Run([])).Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Path 2", Assert.Throws<ArgumentException>(() => AttributionAnalysis.Run([new(["a"], 1), new(["a"], -1)])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => AttributionAnalysis.Run([new(["a"], double.NaN)]));
        Assert.Throws<ArgumentException>(() => AttributionAnalysis.Run([new(["a"], 1, double.PositiveInfinity)]));
        Assert.Throws<ArgumentException>(() => AttributionAnalysis.Run([new(["a", "b"], 1) { TouchTimes = [DateTimeOffset.UnixEpoch] }]));
        Assert.Throws<ArgumentOutOfRangeException>(() => AttributionAnalysis.Run([new(["a"], 1)], new AttributionOptions { HalfLifeInTouches = 0 }));
    }

    [Fact]
    public void Counts_a_touch_stamped_after_the_conversion_as_at_the_conversion()
    {
        var at = new DateTimeOffset(2025, 1, 10, 0, 0, 0, TimeSpan.Zero);
        var report = AttributionAnalysis.Run([new(["a", "b"], 1) { TouchTimes = [at.AddDays(1), at.AddDays(2)], ConvertedAt = at }]);

        var credits = report.Credits[AttributionModel.TimeDecay];
        Assert.Equal(0.5, credits[0].Conversions, 12);
        Assert.Equal(0.5, credits[1].Conversions, 12);
    }

    [Fact]
    public void Time_decay_stays_finite_on_very_long_paths()
    {
        var channels = Enumerable.Range(0, 5000).Select(i => i % 2 == 0 ? "a" : "b").ToArray();

        var credits = AttributionAnalysis.Run([new(channels, 1, 1)]).Credits[AttributionModel.TimeDecay];

        Assert.All(credits, c => Assert.True(double.IsFinite(c.Conversions)));
        Assert.Equal(1, credits.Sum(c => c.Conversions), 12);
    }

    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (var seed = 1; seed <= 100; seed++)
        {
            seeds.Add(seed);
        }

        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_model_attributes_exactly_the_total_conversions_and_value(int seed)
    {
        var random = new Random(seed);
        var channels = new[] { "a", "b", "c", "d", "", "e" }[..random.Next(1, 7)];
        var paths = new List<ConversionPath>();
        for (var i = random.Next(1, 30); i > 0; i--)
        {
            var touches = Enumerable.Range(0, random.Next(0, 8)).Select(_ => channels[random.Next(channels.Length)]).ToArray();
            var conversions = random.Next(3) == 0 ? 0 : random.Next(0, 20) + random.NextDouble();
            paths.Add(new ConversionPath(touches, conversions, conversions * random.NextDouble() * 50, random.Next(0, 30)));
        }

        var report = AttributionAnalysis.Run(paths, new AttributionOptions { HalfLifeInTouches = 0.5 + (random.NextDouble() * 3) });

        foreach (var model in _allModels)
        {
            var credits = report.Credits[model];
            Assert.All(credits, c => Assert.True(double.IsFinite(c.Conversions) && c.Conversions >= 0 && double.IsFinite(c.ConversionValue)));
            Assert.Equal(report.TotalConversions, credits.Sum(c => c.Conversions), 1e-9 * Math.Max(1, report.TotalConversions));
            Assert.Equal(report.TotalConversionValue, credits.Sum(c => c.ConversionValue), 1e-9 * Math.Max(1, report.TotalConversionValue));
        }

        // The chain's absorption probability reproduces the observed conversion rate (flows are conserved).
        var journeys = report.TotalConversions + report.TotalNulls;
        Assert.Equal(journeys == 0 ? 0 : report.TotalConversions / journeys, report.Markov.ConversionProbability, 9);
        Assert.All(report.Markov.Channels, c => Assert.InRange(c.RemovalEffect, 0, 1));
    }
}
