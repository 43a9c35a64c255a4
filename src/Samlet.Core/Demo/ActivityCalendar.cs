namespace Samlet.Demo;

/// <summary>
/// When people shop: a daily curve in local time, a weekly and a yearly cycle, Black Friday to
/// Cyber Monday and a quiet Christmas. Arrivals are drawn as a Poisson process thinned by this
/// weight, with the rate rescaled so that the mean rate over the window is the one asked for.
/// </summary>
internal sealed class ActivityCalendar
{
    private const long DayMs = 86_400_000;
    private const long HourMs = 3_600_000;

    private static readonly double[] _hourWeights =
    [
        0.25, 0.15, 0.10, 0.08, 0.08, 0.12, 0.30, 0.55, 0.75, 0.85, 0.90, 0.95,
        1.05, 1.00, 0.95, 0.95, 1.00, 1.05, 1.15, 1.30, 1.40, 1.35, 1.00, 0.55,
    ];

    // Sunday first, as DayOfWeek numbers them.
    private static readonly double[] _weekdayWeights = [1.15, 1.00, 0.97, 0.97, 1.00, 0.95, 1.05];

    private static readonly double[] _monthWeights = [0.85, 0.85, 0.95, 1.00, 1.00, 0.95, 0.90, 0.95, 1.00, 1.05, 1.30, 1.45];

    private readonly long _startMs;
    private readonly long _endMs;
    private readonly double[] _dayWeights;
    private readonly double _maxWeight;
    private readonly double _meanWeight;

    public ActivityCalendar(long startMs, long endMs)
    {
        _startMs = startMs;
        _endMs = endMs;
        var days = (int)((endMs - startMs + DayMs - 1) / DayMs) + 1;
        _dayWeights = new double[days];
        for (var d = 0; d < days; d++)
        {
            _dayWeights[d] = DayWeight(DateOnly.FromDateTime(DateTime.UnixEpoch.AddMilliseconds(startMs + (d * DayMs))));
        }

        var maxDay = _dayWeights.Max();
        var meanDay = _dayWeights.Take(Math.Max(1, days - 1)).Average();
        _maxWeight = maxDay * _hourWeights.Max();
        _meanWeight = meanDay * _hourWeights.Average();
    }

    public double Weight(long ms, int utcOffsetHours)
    {
        var day = (int)((ms - _startMs) / DayMs);
        var dayWeight = day >= 0 && day < _dayWeights.Length ? _dayWeights[day] : 1.0;
        var localHour = (int)(((ms / HourMs) + utcOffsetHours) % 24 + 24) % 24;
        return dayWeight * _hourWeights[localHour];
    }

    /// <summary>The next arrival after <paramref name="fromMs"/> of a process averaging <paramref name="ratePerDay"/>; long.MaxValue past the end.</summary>
    public long NextArrival(DemoRandom rng, long fromMs, double ratePerDay, int utcOffsetHours)
    {
        var candidateMeanMs = DayMs * _meanWeight / (ratePerDay * _maxWeight);
        var t = (double)fromMs;
        while (true)
        {
            t += rng.Exponential(candidateMeanMs);
            if (t > _endMs)
            {
                return long.MaxValue;
            }

            var ms = (long)t;
            if (rng.NextDouble() * _maxWeight < Weight(ms, utcOffsetHours))
            {
                return ms;
            }
        }
    }

    /// <summary>A time in [from, to) drawn with density proportional to the activity weight.</summary>
    public long RandomTime(DemoRandom rng, long fromMs, long toMs, int utcOffsetHours)
    {
        while (true)
        {
            var ms = fromMs + (long)(rng.NextDouble() * (toMs - fromMs));
            if (rng.NextDouble() * _maxWeight < Weight(ms, utcOffsetHours))
            {
                return ms;
            }
        }
    }

    private static double DayWeight(DateOnly date)
    {
        var weight = _weekdayWeights[(int)date.DayOfWeek] * _monthWeights[date.Month - 1];
        var blackFriday = BlackFriday(date.Year);
        if (date >= blackFriday && date <= blackFriday.AddDays(3))
        {
            weight *= 1.8;
        }
        else if (date.Month == 12 && date.Day is >= 24 and <= 26)
        {
            weight *= 0.6;
        }

        return weight;
    }

    /// <summary>The day after the fourth Thursday of November.</summary>
    public static DateOnly BlackFriday(int year)
    {
        var first = new DateOnly(year, 11, 1);
        var firstThursday = first.AddDays(((int)DayOfWeek.Thursday - (int)first.DayOfWeek + 7) % 7);
        return firstThursday.AddDays(22);
    }
}
