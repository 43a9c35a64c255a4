using Samlet.Analytics.Journeys;

namespace Samlet.Core.Tests.Analytics.Journeys;

public sealed class FunnelAnalysisTests
{
    private static readonly DateTimeOffset _ten = new(2025, 5, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly string[] _steps = ["view", "cart", "buy"];

    /// <summary>
    /// Hand-made users for view → cart → buy in one hour:
    /// u1 does all three; u2 stops at cart; u3 carts before viewing (cart does not count); u4 buys exactly one hour
    /// after viewing (window end inclusive); u5 buys one second too late; u6's first view is too early but a second
    /// view starts an attempt that completes; u7 only buys (not in the funnel); u8 carts at the very instant of the
    /// view (equal times do not chain).
    /// </summary>
    private static readonly UserEvent[] _events =
    [
        new("u1", "view", _ten), new("u1", "cart", _ten.AddMinutes(10)), new("u1", "buy", _ten.AddMinutes(20)),
        new("u2", "view", _ten), new("u2", "cart", _ten.AddMinutes(30)),
        new("u3", "cart", _ten.AddHours(-1)), new("u3", "view", _ten),
        new("u4", "view", _ten), new("u4", "cart", _ten.AddMinutes(30)), new("u4", "buy", _ten.AddHours(1)),
        new("u5", "view", _ten), new("u5", "cart", _ten.AddMinutes(30)), new("u5", "buy", _ten.AddHours(1).AddSeconds(1)),
        new("u6", "view", _ten.AddHours(-1)), new("u6", "view", _ten.AddMinutes(30)), new("u6", "cart", _ten.AddMinutes(45)), new("u6", "buy", _ten.AddMinutes(75)),
        new("u7", "buy", _ten),
        new("u8", "view", _ten), new("u8", "cart", _ten),
    ];

    [Fact]
    public void Counts_users_conversion_and_drop_off_per_step()
    {
        var funnel = FunnelAnalysis.Compute(_events, _steps, TimeSpan.FromHours(1));

        // view: u1 u2 u3 u4 u5 u6 u8 = 7; cart: u1 u2 u4 u5 u6 = 5; buy: u1 u4 u6 = 3.
        Assert.Equal([7, 5, 3], funnel.Steps.Select(s => s.Users));
        Assert.Equal([1, 5.0 / 7, 3.0 / 7], funnel.Steps.Select(s => s.ConversionFromStart));
        Assert.Equal([1, 5.0 / 7, 3.0 / 5], funnel.Steps.Select(s => s.ConversionFromPrevious));
        Assert.Equal([0, 2, 2], funnel.Steps.Select(s => s.DroppedOff));
        Assert.Equal([0, 2.0 / 7, 2.0 / 5], funnel.Steps.Select(s => s.DropOffRate));
    }

    [Fact]
    public void Reports_how_far_each_user_got_with_the_window_end_inclusive()
    {
        var reached = FunnelAnalysis.Compute(_events, _steps, TimeSpan.FromHours(1)).StepReachedByUser;

        Assert.Equal(3, reached["u4"]); // buy at exactly view + 1 h
        Assert.Equal(2, reached["u5"]); // buy at view + 1 h + 1 s
        Assert.Equal(3, reached["u6"]); // the second view's attempt
        Assert.Equal(1, reached["u3"]);
        Assert.Equal(0, reached["u7"]);
        Assert.Equal(1, reached["u8"]);
    }

    [Fact]
    public void Gives_the_same_result_whatever_the_input_order()
    {
        var ordered = FunnelAnalysis.Compute(_events, _steps, TimeSpan.FromHours(1));
        var shuffled = FunnelAnalysis.Compute(_events.Reverse().OrderBy(e => e.EventName, StringComparer.Ordinal), _steps, TimeSpan.FromHours(1));

        Assert.Equal(ordered.Steps, shuffled.Steps);
    }

    [Fact]
    public void Needs_separate_events_for_a_step_that_repeats_in_the_funnel()
    {
        string[] steps = ["view", "view", "buy"];
        UserEvent[] events =
        [
            new("twice", "view", _ten), new("twice", "view", _ten.AddMinutes(1)), new("twice", "buy", _ten.AddMinutes(2)),
            new("once", "view", _ten), new("once", "buy", _ten.AddMinutes(2)),
        ];

        var reached = FunnelAnalysis.Compute(events, steps, TimeSpan.FromHours(1)).StepReachedByUser;

        Assert.Equal(3, reached["twice"]);
        Assert.Equal(1, reached["once"]);
    }

    [Fact]
    public void Gives_zero_rates_not_nan_when_nobody_enters_the_funnel()
    {
        var funnel = FunnelAnalysis.Compute([new("u", "other", _ten)], _steps, TimeSpan.FromDays(1));

        Assert.All(funnel.Steps, step =>
        {
            Assert.Equal(0, step.Users);
            Assert.Equal(0, step.ConversionFromStart);
            Assert.Equal(0, step.ConversionFromPrevious);
            Assert.Equal(0, step.DropOffRate);
        });
    }

    [Fact]
    public void Refuses_an_empty_funnel_a_non_positive_window_and_events_without_a_user()
    {
        Assert.Throws<ArgumentException>(() => FunnelAnalysis.Compute(_events, [], TimeSpan.FromHours(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => FunnelAnalysis.Compute(_events, _steps, TimeSpan.Zero));
        Assert.Throws<ArgumentException>(() => FunnelAnalysis.Compute([new("", "view", _ten)], _steps, TimeSpan.FromHours(1)));
    }

    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (var seed = 1; seed <= 200; seed++)
        {
            seeds.Add(seed);
        }

        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Finds_the_furthest_step_that_an_exhaustive_search_finds(int seed)
    {
        var random = new Random(seed);
        string[] names = ["a", "b", "c"];
        var steps = Enumerable.Range(0, random.Next(1, 5)).Select(_ => names[random.Next(3)]).ToArray();
        var window = TimeSpan.FromMinutes(random.Next(1, 30));
        // Minute timestamps in a short span, so that ties and window edges happen often.
        var events = Enumerable.Range(0, random.Next(0, 12))
            .Select(_ => new UserEvent("u", names[random.Next(3)], _ten.AddMinutes(random.Next(0, 40))))
            .ToArray();

        var reached = FunnelAnalysis.Compute(events, steps, window).StepReachedByUser.GetValueOrDefault("u");

        Assert.Equal(Exhaustive(events, steps, window), reached);
    }

    /// <summary>The longest chain of events matching the steps with strictly increasing times within the window, by trying every chain.</summary>
    private static int Exhaustive(UserEvent[] events, string[] steps, TimeSpan window)
    {
        var best = 0;
        foreach (var start in events.Where(e => e.EventName == steps[0]))
        {
            best = Math.Max(best, Extend(start, start, 1));
        }

        return best;

        int Extend(UserEvent first, UserEvent last, int matched)
        {
            var longest = matched;
            if (matched == steps.Length)
            {
                return longest;
            }

            foreach (var next in events)
            {
                if (next.EventName == steps[matched] && next.Timestamp > last.Timestamp && next.Timestamp - first.Timestamp <= window)
                {
                    longest = Math.Max(longest, Extend(first, next, matched + 1));
                }
            }

            return longest;
        }
    }
}
