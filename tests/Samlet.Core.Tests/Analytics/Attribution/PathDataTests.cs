using Samlet.Analytics.Attribution;

namespace Samlet.Core.Tests.Analytics.Attribution;

/// <summary>ChannelAttribution's example PathData (10,000 path shapes), under Fixtures/attribution.</summary>
public sealed class PathDataTests
{
    private static readonly Lazy<IReadOnlyList<ConversionPath>> _paths =
        new(() => ConversionPathCsv.Read(Path.Combine(AppContext.BaseDirectory, "Fixtures", "attribution", "paths.csv")));

    private static readonly Lazy<AttributionReport> _report = new(() => AttributionAnalysis.Run(_paths.Value));

    [Fact]
    public void Reads_all_10000_paths_and_their_totals()
    {
        var paths = _paths.Value;

        Assert.Equal(10_000, paths.Count);
        Assert.Equal(["eta", "iota", "alpha", "eta"], paths[0].Channels);
        Assert.Equal(paths.Sum(p => p.Conversions), _report.Value.TotalConversions);
        Assert.Equal(12, _report.Value.Channels.Count);
    }

    [Fact]
    public void Every_model_preserves_total_conversions_and_value()
    {
        var report = _report.Value;

        Assert.Equal(6, report.Credits.Count);
        foreach (var credits in report.Credits.Values)
        {
            Assert.Equal(report.TotalConversions, credits.Sum(c => c.Conversions), 1e-6);
            Assert.Equal(report.TotalConversionValue, credits.Sum(c => c.ConversionValue), 1e-6);
        }
    }

    [Fact]
    public void Markov_conversion_probability_equals_the_observed_conversion_rate()
    {
        var report = _report.Value;

        Assert.Equal(report.TotalConversions / (report.TotalConversions + report.TotalNulls), report.Markov.ConversionProbability, 12);
    }

    [Fact]
    public void Markov_removal_effects_are_plausible()
    {
        var report = _report.Value;
        var markov = report.Markov.Channels;

        Assert.All(markov, c => Assert.True(c.RemovalEffect > 0 && c.RemovalEffect < 1, $"{c.Channel}: {c.RemovalEffect}"));
        // The channels that carry most touches carry most conversion probability: the four channels on top agree
        // with the linear model, and the rarest channel (in 2 paths) gets the smallest effect.
        var topMarkov = markov.OrderByDescending(c => c.Conversions).Take(4).Select(c => c.Channel).Order();
        var topLinear = report.Credits[AttributionModel.Linear].OrderByDescending(c => c.Conversions).Take(4).Select(c => c.Channel).Order();
        Assert.Equal(topLinear, topMarkov);
        var rarest = _paths.Value.SelectMany(p => p.Channels).GroupBy(c => c).MinBy(g => g.Count())!.Key;
        Assert.Equal(rarest, markov.MinBy(c => c.RemovalEffect)!.Channel);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Markov_shares_are_stable_between_two_random_halves_of_the_journeys(int seed)
    {
        // Journeys, not rows, are split: one row ("alpha > alpha > alpha") holds 21% of all conversions, so a split
        // of rows measures where that row lands rather than the model's stability. Each journey of each row goes to
        // either half with probability 1/2.
        var random = new Random(seed);
        var first = new List<ConversionPath>();
        var second = new List<ConversionPath>();
        foreach (var path in _paths.Value)
        {
            var conversions = Coins(random, (int)path.Conversions);
            var nulls = Coins(random, (int)path.Nulls);
            var valueShare = path.Conversions == 0 ? 0 : conversions / path.Conversions;
            first.Add(path with { Conversions = conversions, Nulls = nulls, ConversionValue = path.ConversionValue * valueShare });
            second.Add(path with
            {
                Conversions = path.Conversions - conversions,
                Nulls = path.Nulls - nulls,
                ConversionValue = path.ConversionValue * (1 - valueShare),
            });
        }

        var firstShares = Shares(AttributionAnalysis.RunMarkov(first));
        var secondShares = Shares(AttributionAnalysis.RunMarkov(second));
        foreach (var channel in firstShares.Keys)
        {
            Assert.True(
                Math.Abs(firstShares[channel] - secondShares[channel]) < 0.02,
                $"{channel}: {firstShares[channel]:F3} vs {secondShares[channel]:F3}");
        }
    }

    [Fact]
    public void Markov_results_do_not_depend_on_the_order_of_paths()
    {
        var shuffled = _paths.Value.OrderBy(p => string.Join(">", p.Channels), StringComparer.Ordinal).ThenBy(p => p.Conversions).ToList();

        var again = AttributionAnalysis.RunMarkov(shuffled);

        foreach (var (first, second) in _report.Value.Markov.Channels.Zip(again.Channels))
        {
            Assert.Equal(first.RemovalEffect, second.RemovalEffect, 10);
        }
    }

    private static int Coins(Random random, int count)
    {
        var heads = 0;
        for (var i = 0; i < count; i++)
        {
            heads += random.Next(2);
        }

        return heads;
    }

    private static Dictionary<string, double> Shares(MarkovAttributionResult markov)
    {
        var total = markov.Channels.Sum(c => c.Conversions);
        return markov.Channels.ToDictionary(c => c.Channel, c => c.Conversions / total);
    }
}
