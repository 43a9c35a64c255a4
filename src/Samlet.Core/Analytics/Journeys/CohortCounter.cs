namespace Samlet.Analytics.Journeys;

/// <summary>
/// Cohort retention counted one user at a time (<see cref="CohortRetention"/> semantics), so that a caller streaming
/// users never holds everyone's events.
/// </summary>
public sealed class CohortCounter(CohortPeriod period, string? activityEvent = null)
{
    private readonly SortedDictionary<long, (int Size, List<int> Active)> _cohorts = [];
    private long _lastPeriod = long.MinValue;

    /// <summary>Counts one user from their events sorted by time (the first is the one that puts them in a cohort).</summary>
    public void Add(List<UserEvent> sortedEvents)
    {
        if (sortedEvents.Count == 0)
        {
            return;
        }

        var cohortIndex = CohortRetention.PeriodIndex(sortedEvents[0].Timestamp, period);
        _lastPeriod = Math.Max(_lastPeriod, CohortRetention.PeriodIndex(sortedEvents[^1].Timestamp, period));
        var (size, active) = _cohorts.TryGetValue(cohortIndex, out var cohort) ? cohort : (0, []);
        var seen = new HashSet<long>();
        foreach (var e in sortedEvents)
        {
            if (activityEvent is not null && !string.Equals(e.EventName, activityEvent, StringComparison.Ordinal))
            {
                continue;
            }

            var offset = CohortRetention.PeriodIndex(e.Timestamp, period) - cohortIndex;
            if (seen.Add(offset))
            {
                while (active.Count <= offset)
                {
                    active.Add(0);
                }

                active[(int)offset]++;
            }
        }

        _cohorts[cohortIndex] = (size + 1, active);
    }

    /// <summary>Every cohort, oldest first, with periods up to the one holding the latest event counted.</summary>
    public IReadOnlyList<Cohort> Cohorts() =>
    [
        .. _cohorts.Select(pair =>
        {
            var active = new int[_lastPeriod - pair.Key + 1];
            pair.Value.Active.CopyTo(active);
            return new Cohort(CohortRetention.PeriodStart(pair.Key, period), pair.Value.Size, active, [.. active.Select(a => (double)a / pair.Value.Size)]);
        }),
    ];
}
