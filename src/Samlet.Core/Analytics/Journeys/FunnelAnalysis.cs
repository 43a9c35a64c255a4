namespace Samlet.Analytics.Journeys;

/// <summary>
/// Ordered funnels with a conversion window. A user reaches step i when there are events e1 … ei with the step
/// names, each strictly later than the one before (events with equal timestamps do not chain) and each at most
/// <c>window</c> after e1 (the window end is inclusive). Each user counts once per step, with the attempt (choice of
/// e1) that gets furthest, so repeating a step or starting over never double-counts. Input order does not matter:
/// events are sorted by time per user.
/// </summary>
public static class FunnelAnalysis
{
    public static FunnelResult Compute(IEnumerable<UserEvent> events, IReadOnlyList<string> steps, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(events);
        var counter = new FunnelCounter(steps, window);
        var reached = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var userEvents in GroupByUser(events))
        {
            reached[userEvents.Key] = counter.Add(userEvents.Value);
        }

        return new FunnelResult(window, counter.Steps(), reached);
    }

    /// <summary>Number of steps completed by the best attempt of one user; events are sorted by time.</summary>
    internal static int Furthest(List<UserEvent> events, IReadOnlyList<string> steps, TimeSpan window)
    {
        var best = 0;
        for (var start = 0; start < events.Count && best < steps.Count; start++)
        {
            if (!string.Equals(events[start].EventName, steps[0], StringComparison.Ordinal))
            {
                continue;
            }

            // From a fixed start, taking the earliest event for every next step is optimal: it leaves the most room.
            var deadline = events[start].Timestamp + window;
            var last = events[start].Timestamp;
            var level = 1;
            for (var j = start + 1; j < events.Count && level < steps.Count; j++)
            {
                var e = events[j];
                if (e.Timestamp > deadline)
                {
                    break;
                }

                if (e.Timestamp > last && string.Equals(e.EventName, steps[level], StringComparison.Ordinal))
                {
                    last = e.Timestamp;
                    level++;
                }
            }

            best = Math.Max(best, level);
        }

        return best;
    }

    internal static Dictionary<string, List<UserEvent>> GroupByUser(IEnumerable<UserEvent> events)
    {
        var byUser = new Dictionary<string, List<UserEvent>>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (e is null || string.IsNullOrEmpty(e.UserId) || e.EventName is null)
            {
                throw new ArgumentException("Every event needs a user id and an event name.", nameof(events));
            }

            if (!byUser.TryGetValue(e.UserId, out var list))
            {
                list = [];
                byUser.Add(e.UserId, list);
            }

            list.Add(e);
        }

        foreach (var list in byUser.Values)
        {
            list.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
        }

        return byUser;
    }

}
