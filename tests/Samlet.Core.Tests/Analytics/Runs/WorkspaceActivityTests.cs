using Samlet.Analytics.Journeys;
using Samlet.Analytics.Runs;

namespace Samlet.Core.Tests.Analytics.Runs;

public sealed class WorkspaceActivityTests
{
    private static readonly string[] _names = ["Product Viewed", "Product Added", "Checkout Started", "Order Completed", "Signed Up"];

    /// <summary>
    /// The job streams profiles and keeps per profile only what funnels and cohorts need; that must give what the
    /// funnel and cohort analyses give over every event at once.
    /// </summary>
    [Theory]
    [InlineData(1, null, "month")]
    [InlineData(2, "Signed Up", "month")]
    [InlineData(3, null, "week")]
    [InlineData(4, "Product Viewed", "week")]
    public void Funnels_and_cohorts_counted_profile_by_profile_equal_the_analyses_over_all_events(int seed, string? activityEvent, string period)
    {
        var random = new Random(seed);
        var start = ActivityEvents.Day("2026-01-01");
        var events = new ActivityEvents();
        var all = new List<UserEvent>();
        for (var p = 0; p < 60; p++)
        {
            var profile = "p" + p;
            var first = random.NextDouble() * 200;
            for (var n = random.Next(1, 25); n > 0; n--)
            {
                var at = start.AddDays(first + (random.NextDouble() * random.Next(1, 150)));
                var name = _names[random.Next(_names.Length)];
                events.Track(profile, at, name);
                all.Add(new UserEvent(profile, name, at));
            }
        }

        // The latest event of all is no activity: it still sets how many periods the cohorts run to.
        events.Track("late", start, "Signed Up").Track("late", start.AddDays(362), "Checkout Started");
        all.AddRange([new UserEvent("late", "Signed Up", start), new UserEvent("late", "Checkout Started", start.AddDays(362))]);

        var settings = AnalyticsSettings.Default with
        {
            ActivityEvent = activityEvent,
            CohortPeriod = period,
            Funnels = [new FunnelSettings("f", ["Product Viewed", "Product Added", "Order Completed"], 3)],
        };
        var activity = new WorkspaceActivity(settings, start.AddYears(1));
        foreach (var e in events.Scanned())
        {
            activity.Add(e);
        }

        activity.Complete();

        var expectedFunnel = FunnelAnalysis.Compute(all, settings.Funnels[0].Steps, TimeSpan.FromDays(3)).Steps;
        Assert.Equal(expectedFunnel, activity.Funnels[0].Steps());
        var expectedCohorts = CohortRetention.Compute(all, period == "week" ? CohortPeriod.Week : CohortPeriod.Month, activityEvent);
        var cohorts = activity.Cohorts.Cohorts();
        Assert.Equal(expectedCohorts.Select(c => (c.Start, c.Size)), cohorts.Select(c => (c.Start, c.Size)));
        Assert.Equal(expectedCohorts.Select(c => string.Join(',', c.ActiveUsers)), cohorts.Select(c => string.Join(',', c.ActiveUsers)));
    }
}
