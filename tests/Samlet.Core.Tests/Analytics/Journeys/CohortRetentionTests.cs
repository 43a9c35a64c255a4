using Samlet.Analytics.Journeys;

namespace Samlet.Core.Tests.Analytics.Journeys;

public sealed class CohortRetentionTests
{
    private static DateTimeOffset Utc(int month, int day, int hour = 12) => new(2025, month, day, hour, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Weeks start on Monday (2025-01-06 and 2025-01-13 are Mondays). u1 arrives Monday 6th and comes back in the
    /// next week and three weeks later; u2 arrives Sunday 12th at 23:59 (still the week of the 6th) and is back a
    /// minute later on Monday (the next week); u3's first event is stamped 01:00+02:00 on the 13th, which is 23:00 UTC
    /// on the 12th, so u3 also belongs to the week of the 6th; u4 arrives on the 13th and comes back on the 20th.
    /// The latest event (27th) is in week 3 of the first cohort.
    /// </summary>
    private static readonly UserEvent[] _events =
    [
        new("u1", "visit", Utc(1, 6)), new("u1", "visit", Utc(1, 14)), new("u1", "buy", Utc(1, 27)),
        new("u2", "visit", new DateTimeOffset(2025, 1, 12, 23, 59, 0, TimeSpan.Zero)), new("u2", "buy", new DateTimeOffset(2025, 1, 13, 0, 0, 0, TimeSpan.Zero)),
        new("u3", "visit", new DateTimeOffset(2025, 1, 13, 1, 0, 0, TimeSpan.FromHours(2))),
        new("u4", "visit", Utc(1, 13)), new("u4", "visit", Utc(1, 20)), new("u4", "visit", Utc(1, 21)),
    ];

    [Fact]
    public void Groups_users_by_first_week_and_counts_those_active_in_each_later_week()
    {
        var cohorts = CohortRetention.Compute(_events, CohortPeriod.Week);

        Assert.Equal([new DateOnly(2025, 1, 6), new DateOnly(2025, 1, 13)], cohorts.Select(c => c.Start));
        var first = cohorts[0];
        Assert.Equal(3, first.Size); // u1, u2, u3
        Assert.Equal([3, 2, 0, 1], first.ActiveUsers);
        Assert.Equal([1, 2.0 / 3, 0, 1.0 / 3], first.RetainedShare);
        var second = cohorts[1];
        Assert.Equal(1, second.Size); // u4; its two visits in week +1 count once
        Assert.Equal([1, 1, 0], second.ActiveUsers); // periods up to the data's last week only
    }

    [Fact]
    public void Counts_only_the_named_activity_event_when_given()
    {
        var cohorts = CohortRetention.Compute(_events, CohortPeriod.Week, activityEvent: "buy");

        // Cohorts are still by first event of any kind; u2 bought in week +1 and u1 in week +3.
        Assert.Equal([0, 1, 0, 1], cohorts[0].ActiveUsers);
        Assert.Equal(0, cohorts[0].RetainedShare[0]);
    }

    [Fact]
    public void Groups_by_utc_calendar_month()
    {
        UserEvent[] events =
        [
            new("a", "visit", new DateTimeOffset(2024, 12, 31, 20, 0, 0, TimeSpan.FromHours(-5))), // 2025-01-01 01:00 UTC
            new("a", "visit", Utc(3, 1)),
            new("b", "visit", Utc(1, 31)),
            new("b", "visit", Utc(2, 1)),
            new("c", "visit", Utc(2, 15)),
        ];

        var cohorts = CohortRetention.Compute(events, CohortPeriod.Month);

        Assert.Equal([new DateOnly(2025, 1, 1), new DateOnly(2025, 2, 1)], cohorts.Select(c => c.Start));
        Assert.Equal([2, 1, 1], cohorts[0].ActiveUsers);
        Assert.Equal([1, 0], cohorts[1].ActiveUsers);
    }

    [Fact]
    public void Gives_no_cohorts_for_no_events()
    {
        Assert.Empty(CohortRetention.Compute([], CohortPeriod.Month));
    }

    [Fact]
    public void Does_not_depend_on_input_order()
    {
        var ordered = CohortRetention.Compute(_events, CohortPeriod.Week);
        var reversed = CohortRetention.Compute(_events.Reverse(), CohortPeriod.Week);

        Assert.Equal(ordered.Select(c => (c.Start, c.Size, string.Join(",", c.ActiveUsers))), reversed.Select(c => (c.Start, c.Size, string.Join(",", c.ActiveUsers))));
    }
}
