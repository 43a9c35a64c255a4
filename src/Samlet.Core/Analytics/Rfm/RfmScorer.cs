using Samlet.Analytics.Transactions;

namespace Samlet.Analytics.Rfm;

/// <summary>
/// Recency, frequency and monetary value per customer as of a date, with scores and segments compatible with the
/// R package rfm 0.3.0. Frequency counts orders (rows), not days. Orders after the analysis date are left out, so the
/// result is the picture as it was on that date.
/// </summary>
public static class RfmScorer
{
    public static RfmResult Score(IEnumerable<Transaction> orders, DateOnly asOf, RfmOptions? options = null)
    {
        options ??= new RfmOptions();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var ids = new List<string>();
        var last = new List<DateOnly>();
        var count = new List<int>();
        var revenue = new List<double>();
        foreach (var order in orders)
        {
            if (order.Date > asOf)
            {
                continue;
            }

            if (!index.TryGetValue(order.CustomerId, out var i))
            {
                i = ids.Count;
                index.Add(order.CustomerId, i);
                ids.Add(order.CustomerId);
                last.Add(order.Date);
                count.Add(0);
                revenue.Add(0);
            }

            if (order.Date > last[i])
            {
                last[i] = order.Date;
            }

            count[i]++;
            revenue[i] += order.Amount;
        }

        if (ids.Count == 0)
        {
            throw new ArgumentException($"no orders on or before {asOf:yyyy-MM-dd}", nameof(orders));
        }

        var n = ids.Count;
        var recencyDays = new double[n];
        var frequency = new double[n];
        var monetary = revenue.ToArray();
        for (var i = 0; i < n; i++)
        {
            recencyDays[i] = asOf.DayNumber - last[i].DayNumber;
            frequency[i] = count[i];
        }

        var recencyEdges = QuantileBins.Edges(recencyDays, options.RecencyBins);
        var frequencyEdges = QuantileBins.Edges(frequency, options.FrequencyBins);
        var monetaryEdges = QuantileBins.Edges(monetary, options.MonetaryBins);

        var customers = new RfmCustomer[n];
        for (var i = 0; i < n; i++)
        {
            // The lowest recency (most recent order) gets the highest score.
            var r = options.RecencyBins.Count - QuantileBins.BinOf(recencyDays[i], recencyEdges);
            var f = QuantileBins.BinOf(frequency[i], frequencyEdges) + 1;
            var m = QuantileBins.BinOf(monetary[i], monetaryEdges) + 1;
            customers[i] = new RfmCustomer(ids[i], last[i], (int)recencyDays[i], count[i], monetary[i], r, f, m, SegmentOf(r, f, m, options));
        }

        Array.Sort(customers, static (x, y) => string.CompareOrdinal(x.CustomerId, y.CustomerId));
        return new RfmResult(asOf, customers, recencyEdges, frequencyEdges, monetaryEdges);
    }

    private static string SegmentOf(int r, int f, int m, RfmOptions options)
    {
        foreach (var rule in options.Segments)
        {
            if (rule.Matches(r, f, m))
            {
                return rule.Name;
            }
        }

        return options.OtherSegment;
    }
}
