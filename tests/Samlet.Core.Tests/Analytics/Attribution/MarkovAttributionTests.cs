using Samlet.Analytics.Attribution;

namespace Samlet.Core.Tests.Analytics.Attribution;

public sealed class MarkovAttributionTests
{
    /// <summary>
    /// Worked by hand. Paths (conversions, value, nulls):
    ///   "a > b > b" (1, 10, 0) — collapses to a > b;  "a" (0, 0, 1);  "c > b" (0, 0, 1);  "c" (1, 2, 1).
    /// Transition counts (journeys = conversions + nulls): start→a 2, start→c 3; a→b 1, a→null 1;
    /// c→b 1, c→conv 1, c→null 1; b→conv 1, b→null 1. Probabilities: start→a 2/5, start→c 3/5; a→b 1/2;
    /// c→b 1/3, c→conv 1/3; b→conv 1/2.
    /// Absorption in conversion: x_b = 1/2, x_a = 1/2·1/2 = 1/4, x_c = 1/3·1/2 + 1/3 = 1/2,
    /// P = 2/5·1/4 + 3/5·1/2 = 2/5 (= 2 conversions / 5 journeys).
    /// Removing a: P = 3/5·1/2 = 3/10 → RE 1/4. Removing b: x_a = 0, x_c = 1/3, P = 1/5 → RE 1/2.
    /// Removing c: P = 2/5·1/4 = 1/10 → RE 3/4. Sum 3/2, so 2 conversions split 1/3, 2/3, 1.
    /// Value: rewards r_b = 10/2 = 5 (value converted from b over journeys leaving b), r_c = 2/3.
    /// y_b = 5, y_a = 5/2, y_c = 5/3 + 2/3 = 7/3, V = 2/5·5/2 + 3/5·7/3 = 12/5 (= value 12 / 5 journeys).
    /// Removing a: V = 7/5 → 5/12. Removing b: y_c = 2/3, V = 2/5 → 5/6. Removing c: V = 1 → 7/12.
    /// Sum 22/12, so value 12 splits 60/22, 120/22, 84/22.
    /// </summary>
    private static readonly ConversionPath[] _handWorked =
    [
        new(["a", "b", "b"], 1, 10, 0),
        new(["a"], 0, 0, 1),
        new(["c", "b"], 0, 0, 1),
        new(["c"], 1, 2, 1),
    ];

    [Fact]
    public void Computes_the_hand_worked_removal_effects_exactly()
    {
        var markov = AttributionAnalysis.RunMarkov(_handWorked);

        Assert.Equal(0.4, markov.ConversionProbability, 12);
        Assert.Equal(2.4, markov.ExpectedValue, 12);
        var byChannel = markov.Channels.ToDictionary(channel => channel.Channel);
        Assert.Equal(0.25, byChannel["a"].RemovalEffect, 12);
        Assert.Equal(0.5, byChannel["b"].RemovalEffect, 12);
        Assert.Equal(0.75, byChannel["c"].RemovalEffect, 12);
        Assert.Equal(1.0 / 3, byChannel["a"].Conversions, 12);
        Assert.Equal(2.0 / 3, byChannel["b"].Conversions, 12);
        Assert.Equal(1.0, byChannel["c"].Conversions, 12);
    }

    [Fact]
    public void Attributes_conversion_value_by_the_value_removal_effects()
    {
        var byChannel = AttributionAnalysis.RunMarkov(_handWorked).Channels.ToDictionary(channel => channel.Channel);

        Assert.Equal(5.0 / 12, byChannel["a"].ValueRemovalEffect, 12);
        Assert.Equal(5.0 / 6, byChannel["b"].ValueRemovalEffect, 12);
        Assert.Equal(7.0 / 12, byChannel["c"].ValueRemovalEffect, 12);
        Assert.Equal(60.0 / 22, byChannel["a"].ConversionValue, 12);
        Assert.Equal(120.0 / 22, byChannel["b"].ConversionValue, 12);
        Assert.Equal(84.0 / 22, byChannel["c"].ConversionValue, 12);
    }

    [Fact]
    public void Collapses_repeated_adjacent_channels_into_one_state_visit()
    {
        var markov = AttributionAnalysis.RunMarkov([new(["a", "a", "b", "b", "b", "a"], 1, 1, 1), new(["b"], 1, 1, 0)]);

        // a > a > b > b > b > a is a > b > a: no self-transition; 2 journeys leave a for b, 2 leave the final a.
        Assert.DoesNotContain(markov.Transitions, t => t.From == t.To);
        var fromA = markov.Transitions.Where(t => t.From == "a").ToDictionary(t => t.To, t => t.Probability);
        Assert.Equal(0.5, fromA["b"], 12);
        Assert.Equal(0.25, fromA[MarkovTransition.ConversionState], 12);
        Assert.Equal(0.25, fromA[MarkovTransition.NullState], 12);
    }

    [Fact]
    public void Estimates_transition_probabilities_that_sum_to_one_per_state()
    {
        var markov = AttributionAnalysis.RunMarkov(_handWorked);

        Assert.All(markov.Transitions.GroupBy(t => t.From), state => Assert.Equal(1, state.Sum(t => t.Probability), 12));
        Assert.Equal(0.4, markov.Transitions.Single(t => t.From == MarkovTransition.StartState && t.To == "a").Probability, 12);
    }

    [Fact]
    public void Gives_a_channel_that_every_conversion_passes_through_a_removal_effect_of_one()
    {
        // Two channels: "a > b" (1 conversion) and "a" (1 null). By hand: start→a 1; a→b 1/2, a→null 1/2;
        // b→conv 1. P = 1/2. Removing a or b leaves no route to conversion: both effects are 1, credit 1/2 each.
        var markov = AttributionAnalysis.RunMarkov([new(["a", "b"], 1, 0, 0), new(["a"], 0, 0, 1)]);

        Assert.Equal(0.5, markov.ConversionProbability, 12);
        Assert.All(markov.Channels, channel =>
        {
            Assert.Equal(1, channel.RemovalEffect, 12);
            Assert.Equal(0.5, channel.Conversions, 12);
            Assert.Equal(0, channel.ConversionValue); // no value at all: zero, not NaN
        });
    }

    [Fact]
    public void Gives_zero_everywhere_when_nothing_converted()
    {
        var report = AttributionAnalysis.Run([new(["a", "b"], 0, 0, 3), new(["b"], 0, 0, 2)]);

        Assert.Equal(0, report.Markov.ConversionProbability);
        Assert.All(report.Markov.Channels, channel =>
        {
            Assert.Equal(0, channel.RemovalEffect);
            Assert.Equal(0, channel.Conversions);
        });
        Assert.All(report.Credits.Values.SelectMany(c => c), credit => Assert.Equal(0, credit.Conversions));
    }

    [Fact]
    public void Handles_paths_whose_journey_count_is_zero()
    {
        var markov = AttributionAnalysis.RunMarkov([new(["a"], 1, 1, 0), new(["z"], 0, 0, 0)]);

        var z = markov.Channels.Single(channel => channel.Channel == "z");
        Assert.Equal(0, z.RemovalEffect);
        Assert.Equal(1, markov.Channels.Single(channel => channel.Channel == "a").Conversions);
    }
}
