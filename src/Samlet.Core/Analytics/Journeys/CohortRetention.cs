namespace Samlet.Analytics.Journeys;

/// <summary>
/// Cohort retention: a user belongs to the cohort of the period (UTC week from Monday, or UTC month) of their first
/// event of any kind, and is retained in period p when they have an activity event in the p-th period after it.
/// Activity is any event unless <c>activityEvent</c> names one, in which case period 0 may be below 100%.
/// Periods run up to the one holding the latest event in the data, so younger cohorts have fewer periods (the
/// last one may be partial). No events give no cohorts.
/// </summary>
public static class CohortRetention
{
    public static IReadOnlyList<Cohort> Compute(IEnumerable<UserEvent> events, CohortPeriod period, string? activityEvent = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (period is not (CohortPeriod.Week or CohortPeriod.Month))
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "Cohorts are by week or by month.");
        }

        var counter = new CohortCounter(period, activityEvent);
        foreach (var userEvents in FunnelAnalysis.GroupByUser(events).Values)
        {
            counter.Add(userEvents);
        }

        return counter.Cohorts();
    }

    /// <summary>Weeks since Monday 0001-01-01 or months since January of year 1, in UTC.</summary>
    internal static long PeriodIndex(DateTimeOffset timestamp, CohortPeriod period)
    {
        var date = DateOnly.FromDateTime(timestamp.UtcDateTime);
        return period == CohortPeriod.Week
            ? date.DayNumber / 7 // day 0 (0001-01-01) is a Monday
            : ((date.Year - 1) * 12L) + date.Month - 1;
    }

    internal static DateOnly PeriodStart(long index, CohortPeriod period) => period == CohortPeriod.Week
        ? DateOnly.FromDayNumber((int)(index * 7))
        : new DateOnly((int)(index / 12) + 1, (int)(index % 12) + 1, 1);
}
