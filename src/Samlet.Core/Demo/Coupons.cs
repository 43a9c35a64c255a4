namespace Samlet.Demo;

/// <summary>Which coupon, if any, an order uses: Black Friday codes, newsletter codes, a welcome code for first orders.</summary>
internal static class Coupons
{
    public static (string? Code, int PercentOff) Choose(DemoRandom rng, long ms, Channel? channel, int previousOrders)
    {
        var day = DateOnly.FromDateTime(DateTime.UnixEpoch.AddMilliseconds(ms));
        var blackFriday = ActivityCalendar.BlackFriday(day.Year);
        if (day >= blackFriday && day <= blackFriday.AddDays(3) && rng.Chance(0.6))
        {
            return ("BLACKFRIDAY25", 25);
        }

        if (channel == Channel.Email && rng.Chance(0.4))
        {
            return ("NEWS10", 10);
        }

        if (previousOrders == 0 && rng.Chance(0.2))
        {
            return ("WELCOME10", 10);
        }

        return rng.Chance(0.05) ? ("SAVE10", 10) : (null, 0);
    }
}
