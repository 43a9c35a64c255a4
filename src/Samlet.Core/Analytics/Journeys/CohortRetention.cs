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

        var byUser = FunnelAnalysis.GroupByUser(events);
        if (byUser.Count == 0)
        {
            return [];
        }

        var lastPeriod = byUser.Values.Max(list => PeriodIndex(list[^1].Timestamp, period));
        var cohorts = new SortedDictionary<long, (int Size, int[] Active)>();
        foreach (var userEvents in byUser.Values)
        {
            var cohortIndex = PeriodIndex(userEvents[0].Timestamp, period);
            if (!cohorts.TryGetValue(cohortIndex, out var cohort))
            {
                cohort = (0, new int[lastPeriod - cohortIndex + 1]);
            }

            var seen = new HashSet<long>();
            foreach (var e in userEvents)
            {
                if (activityEvent is not null && !string.Equals(e.EventName, activityEvent, StringComparison.Ordinal))
                {
                    continue;
                }

                var offset = PeriodIndex(e.Timestamp, period) - cohortIndex;
                if (seen.Add(offset))
                {
                    cohort.Active[offset]++;
                }
            }

            cohorts[cohortIndex] = (cohort.Size + 1, cohort.Active);
        }

        return [.. cohorts.Select(pair => new Cohort(
            PeriodStart(pair.Key, period),
            pair.Value.Size,
            pair.Value.Active,
            [.. pair.Value.Active.Select(active => (double)active / pair.Value.Size)]))];
    }

    /// <summary>Weeks since Monday 0001-01-01 or months since January of year 1, in UTC.</summary>
    internal static long PeriodIndex(DateTimeOffset timestamp, CohortPeriod period)
    {
        var date = DateOnly.FromDateTime(timestamp.UtcDateTime);
        return period == CohortPeriod.Week
            ? date.DayNumber / 7 // day 0 (0001-01-01) is a Monday
            : ((date.Year - 1) * 12L) + date.Month - 1;
    }

    private static DateOnly PeriodStart(long index, CohortPeriod period) => period == CohortPeriod.Week
        ? DateOnly.FromDayNumber((int)(index * 7))
        : new DateOnly((int)(index / 12) + 1, (int)(index % 12) + 1, 1);
}
