using System.Globalization;

namespace Samlet.Server.Tests.Analytics;

/// <summary>A small shop's events (Segment JSON, one per string) for the analytics job's tests.</summary>
internal static class AnalyticsShop
{
    /// <summary>
    /// Customers buying at their own rate for 300 days until they drop out (a BG/NBD-like shop), each visit arriving
    /// from a channel, spending around a level of their own; tents go with sleeping bags, mugs with coffee. Deterministic,
    /// relative to now.
    /// </summary>
    public static List<string> Events(int customers)
    {
        var random = new Random(7);
        var now = TimeProvider.System.GetUtcNow();
        var events = new List<string>();
        string[] channels = ["\"campaign\":{\"source\":\"google\",\"medium\":\"cpc\"}", "\"campaign\":{\"source\":\"newsletter\",\"medium\":\"email\"}", "\"page\":{\"referrer\":\"https://www.bing.com/\",\"url\":\"https://shop.example/\"}"];
        for (var c = 0; c < customers; c++)
        {
            var rate = 1 / (5 + (random.NextDouble() * 55));
            var day = random.NextDouble() * 100;
            var dropAfter = random.NextDouble() < 0.4 ? random.NextDouble() * 200 : double.MaxValue;
            // Each customer spends around a level of their own (Gamma-Gamma's assumption): with one spend distribution
            // for everyone the model has nothing to estimate, and whether its fit converged depended on the time of day.
            var level = 20 + random.Next(200);
            var start = day;
            var n = 0;
            while (day < 300 && day - start <= dropAfter)
            {
                var at = now.AddDays(day - 300).ToString("o", CultureInfo.InvariantCulture);
                var pair = random.Next(2) == 0 ? "{\"product_id\":\"tent\"},{\"product_id\":\"sleeping-bag\"}" : "{\"product_id\":\"mug\"},{\"product_id\":\"coffee\"}";
                events.Add($$$"""{"type":"page","userId":"c{{{c}}}","messageId":"p{{{c}}}-{{{n}}}","timestamp":"{{{at}}}","context":{{{{channels[random.Next(3)]}}}}}""");
                events.Add($$$"""{"type":"track","userId":"c{{{c}}}","event":"Order Completed","messageId":"o{{{c}}}-{{{n}}}","timestamp":"{{{at}}}","properties":{"revenue":{{{(level * (0.75 + (random.NextDouble() / 2))).ToString("0.00", CultureInfo.InvariantCulture)}}},"products":[{{{pair}}}]}}""");
                day += -Math.Log(1 - random.NextDouble()) / rate;
                n++;
            }
        }

        events.Add("""{"type":"identify","userId":"browser","messageId":"b1","traits":{"email":"browser@example.com"}}""");
        return events;
    }
}
