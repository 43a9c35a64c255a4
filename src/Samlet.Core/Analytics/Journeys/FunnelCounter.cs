namespace Samlet.Analytics.Journeys;

/// <summary>
/// Counts users per step of one funnel, one user at a time, so that a caller streaming users (the analytics job's
/// profile scan) never holds everyone's events: <see cref="FunnelAnalysis"/> semantics, whatever order users come in.
/// </summary>
public sealed class FunnelCounter
{
    private readonly IReadOnlyList<string> _steps;
    private readonly TimeSpan _window;
    private readonly int[] _usersAtStep;

    public FunnelCounter(IReadOnlyList<string> steps, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.Count == 0 || steps.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("A funnel needs at least one step, and every step needs an event name.", nameof(steps));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        (_steps, _window, _usersAtStep) = (steps, window, new int[steps.Count + 1]);
    }

    public TimeSpan Window => _window;

    /// <summary>Counts one user from their events sorted by time; returns the number of steps they completed.</summary>
    public int Add(List<UserEvent> sortedEvents)
    {
        var furthest = FunnelAnalysis.Furthest(sortedEvents, _steps, _window);
        for (var step = 1; step <= furthest; step++)
        {
            _usersAtStep[step]++;
        }

        return furthest;
    }

    /// <summary>The steps with their users, conversion and drop-off (rates with a zero denominator are 0).</summary>
    public IReadOnlyList<FunnelStep> Steps()
    {
        var result = new FunnelStep[_steps.Count];
        for (var i = 1; i <= _steps.Count; i++)
        {
            var users = _usersAtStep[i];
            var previous = i == 1 ? users : _usersAtStep[i - 1];
            var dropped = previous - users;
            result[i - 1] = new FunnelStep(i, _steps[i - 1], users, Ratio(users, _usersAtStep[1]), Ratio(users, previous), dropped, Ratio(dropped, previous));
        }

        return result;
    }

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}
