using System.Globalization;
using Samlet.Analytics.Rfm;
using Samlet.Analytics.Transactions;

namespace Samlet.Core.Tests.Analytics.Rfm;

public sealed class RfmScorerTests
{
    private static readonly DateOnly _asOf = new(2007, 1, 1);
    private static readonly string _fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "rfm", "orders.csv");

    private static IReadOnlyList<Transaction> Orders() =>
        TransactionCsvReader.ReadFile(_fixture, new TransactionColumns("customer_id", "order_date", "revenue", AmountRequired: true)).Transactions;

    [Fact]
    public void Scores_a_customer_computed_by_hand()
    {
        // Add Senger ordered on 2005-06-08 (114), 2005-11-12 (208) and 2006-08-13 (18): 141 days before 2007-01-01.
        // Order counts of the 995 customers: 125 have at most 2, 268 at most 3, 455 at most 4, 631 at most 5, 875 at
        // most 7; the type-7 quantiles at 0.2/0.4/0.6/0.8 (positions 198.8, 397.6, 596.4, 795.2 from 0) are 3, 4, 5, 7,
        // so frequency edges are 1, 4, 5, 6, 8, 15 and three orders score 1.
        var result = RfmScorer.Score(Orders(), _asOf);
        var senger = result.Customers.Single(c => c.CustomerId == "Add Senger");

        Assert.Equal(995, result.Customers.Count);
        Assert.Equal(new DateOnly(2006, 8, 13), senger.LastOrder);
        Assert.Equal(141, senger.RecencyDays);
        Assert.Equal(3, senger.Frequency);
        Assert.Equal(340, senger.Monetary);
        Assert.Equal(1, senger.FrequencyScore);
        Assert.Equal([1.0, 4, 5, 6, 8], result.Frequency.Lower);
        Assert.Equal([4.0, 5, 6, 8, 15], result.Frequency.Upper);
    }

    [Fact]
    public void Matches_an_independent_implementation_of_the_rfm_package_rules()
    {
        var expected = IndependentRfm(File.ReadAllLines(_fixture).Skip(1), _asOf);

        var actual = RfmScorer.Score(Orders(), _asOf).Customers.ToDictionary(c => c.CustomerId);

        Assert.Equal(expected.Count, actual.Count);
        foreach (var (id, e) in expected)
        {
            var a = actual[id];
            Assert.Equal(e, (a.RecencyDays, a.Frequency, a.Monetary, a.RecencyScore, a.FrequencyScore, a.MonetaryScore, a.Segment));
        }
    }

    [Fact]
    public void Scores_lie_between_one_and_five_in_roughly_equal_groups()
    {
        var customers = RfmScorer.Score(Orders(), _asOf).Customers;

        Assert.All(customers, c => Assert.InRange(c.RecencyScore, 1, 5));
        Assert.All(customers, c => Assert.InRange(c.FrequencyScore, 1, 5));
        Assert.All(customers, c => Assert.InRange(c.MonetaryScore, 1, 5));
        // Recency and revenue have few ties, so each quintile holds about a fifth of the customers.
        foreach (var score in Enumerable.Range(1, 5))
        {
            Assert.InRange(customers.Count(c => c.RecencyScore == score), 0.17 * customers.Count, 0.23 * customers.Count);
            Assert.InRange(customers.Count(c => c.MonetaryScore == score), 0.17 * customers.Count, 0.23 * customers.Count);
        }
    }

    [Fact]
    public void More_recent_customers_never_score_lower_on_recency()
    {
        var byRecency = RfmScorer.Score(Orders(), _asOf).Customers.OrderBy(c => c.RecencyDays).ToList();

        for (var i = 1; i < byRecency.Count; i++)
        {
            Assert.True(byRecency[i].RecencyScore <= byRecency[i - 1].RecencyScore);
        }

        Assert.Equal(5, byRecency[0].RecencyScore);
        Assert.Equal(1, byRecency[^1].RecencyScore);
    }

    [Fact]
    public void Assigns_the_first_matching_segment()
    {
        // Fixed thresholds make the scores explicit: recency 0/15/25/35/45 days score 5..1, and so on.
        var options = new RfmOptions
        {
            RecencyBins = RfmBins.AtThresholds(10, 20, 30, 40),
            FrequencyBins = RfmBins.AtThresholds(2, 3, 4, 5),
            MonetaryBins = RfmBins.AtThresholds(20, 30, 40, 50),
        };
        Transaction[] orders =
        [
            .. Customer("champion", 0, 5, 60), // R5 F5 M5: also a Potential Loyalist, but Champions comes first
            .. Customer("loyalist", 25, 3, 35), // R3 F3 M3: Potential Loyalist before Loyal Customers and Promising
            .. Customer("loyal", 35, 2, 25), // R2 F2 M2
            .. Customer("lost", 45, 1, 10), // R1 F1 M1
            .. Customer("other", 35, 6, 10), // R2 F5 M1: matches no rule
            .. Customer("asleep", 35, 1, 10), // R2 F1 M1: About To Sleep
        ];

        var segments = RfmScorer.Score(orders, _asOf, options).Customers.ToDictionary(c => c.CustomerId, c => c.Segment);

        Assert.Equal("Champions", segments["champion"]);
        Assert.Equal("Potential Loyalist", segments["loyalist"]);
        Assert.Equal("Loyal Customers", segments["loyal"]);
        Assert.Equal("Lost", segments["lost"]);
        Assert.Equal("Others", segments["other"]);
        Assert.Equal("About To Sleep", segments["asleep"]);
    }

    [Fact]
    public void Uses_custom_rules_and_names_the_rest_others()
    {
        var options = new RfmOptions
        {
            RecencyBins = RfmBins.AtThresholds(10, 20, 30, 40),
            FrequencyBins = RfmBins.AtThresholds(2, 3, 4, 5),
            MonetaryBins = RfmBins.AtThresholds(20, 30, 40, 50),
            Segments = [new RfmSegmentRule("Big spenders", new(1, 5), new(1, 5), new(5, 5))],
            OtherSegment = "Everyone else",
        };
        Transaction[] orders = [.. Customer("big", 30, 1, 90), .. Customer("small", 3, 5, 5)];

        var segments = RfmScorer.Score(orders, _asOf, options).Customers.ToDictionary(c => c.CustomerId, c => c.Segment);

        Assert.Equal("Big spenders", segments["big"]);
        Assert.Equal("Everyone else", segments["small"]);
    }

    [Fact]
    public void Ignores_orders_after_the_analysis_date()
    {
        Transaction[] orders = [new("a", _asOf.AddDays(-10), 5), new("a", _asOf.AddDays(3), 50), new("b", _asOf.AddDays(-1), 1)];

        var a = RfmScorer.Score(orders, _asOf).Customers.Single(c => c.CustomerId == "a");

        Assert.Equal((10, 1, 5.0), (a.RecencyDays, a.Frequency, a.Monetary));
        Assert.Throws<ArgumentException>(() => RfmScorer.Score(orders, _asOf.AddDays(-30)));
    }

    private static IEnumerable<Transaction> Customer(string id, int recencyDays, int orders, double total)
    {
        for (var k = 0; k < orders; k++)
        {
            yield return new Transaction(id, _asOf.AddDays(-recencyDays - (3 * k)), total / orders);
        }
    }

    /// <summary>
    /// The rules of rfm 0.3.0 written out plainly: group orders by customer; quantiles of type 7 in R's 1-based
    /// form Q(p) = (1−g) x_j + g x_{j+1}, j = ⌊1 + (n−1)p⌋; bins [lower_i, upper_i) with lower = (min, Q(.2)+1, …,
    /// Q(.8)+1) and upper = (Q(.2)+1, …, Q(.8)+1, max+1), filled in order so that a later bin overwrites; recency
    /// scores 5..1, the others 1..5; segments as in the package, a segment once given is kept.
    /// </summary>
    private static Dictionary<string, (int, int, double, int, int, int, string)> IndependentRfm(IEnumerable<string> lines, DateOnly asOf)
    {
        var customers = lines
            .Select(l => l.Split(','))
            .GroupBy(f => f[0])
            .Select(g => (
                Id: g.Key,
                Recency: (double)(asOf.DayNumber - g.Max(f => DateOnly.ParseExact(f[1], "yyyy-MM-dd", CultureInfo.InvariantCulture)).DayNumber),
                Frequency: (double)g.Count(),
                Monetary: g.Sum(f => double.Parse(f[2], CultureInfo.InvariantCulture))))
            .ToList();

        int[] Scores(Func<(string Id, double Recency, double Frequency, double Monetary), double> value, bool reverse)
        {
            var sorted = customers.Select(value).OrderBy(v => v).ToArray();
            double Quantile(double p)
            {
                var position = 1 + ((sorted.Length - 1) * p);
                var j = (int)Math.Floor(position);
                var g = position - j;
                return j >= sorted.Length ? sorted[^1] : ((1 - g) * sorted[j - 1]) + (g * sorted[j]);
            }

            double[] inner = [Quantile(0.2) + 1, Quantile(0.4) + 1, Quantile(0.6) + 1, Quantile(0.8) + 1];
            double[] lower = [sorted[0], .. inner];
            double[] upper = [.. inner, sorted[^1] + 1];
            var scores = new int[customers.Count];
            for (var bin = 0; bin < 5; bin++)
            {
                for (var c = 0; c < customers.Count; c++)
                {
                    var v = value(customers[c]);
                    if (v >= lower[bin] && v < upper[bin])
                    {
                        scores[c] = reverse ? 5 - bin : bin + 1;
                    }
                }
            }

            return scores;
        }

        var r = Scores(c => c.Recency, reverse: true);
        var f = Scores(c => c.Frequency, reverse: false);
        var m = Scores(c => c.Monetary, reverse: false);
        (string Name, int[] Bounds)[] segments =
        [
            ("Champions", [5, 5, 5, 5, 5, 5]), ("Potential Loyalist", [3, 5, 3, 5, 2, 5]), ("Loyal Customers", [2, 4, 2, 4, 2, 4]),
            ("Promising", [3, 4, 1, 3, 3, 5]), ("New Customers", [4, 5, 1, 3, 1, 5]), ("Can't Lose Them", [1, 2, 3, 4, 4, 5]),
            ("At Risk", [1, 2, 2, 5, 4, 5]), ("Need Attention", [1, 3, 3, 5, 3, 5]), ("About To Sleep", [2, 3, 1, 3, 1, 4]),
            ("Lost", [1, 1, 1, 5, 1, 5]),
        ];
        var result = new Dictionary<string, (int, int, double, int, int, int, string)>();
        for (var c = 0; c < customers.Count; c++)
        {
            string? segment = null;
            foreach (var (name, b) in segments)
            {
                if (segment is null && r[c] >= b[0] && r[c] <= b[1] && f[c] >= b[2] && f[c] <= b[3] && m[c] >= b[4] && m[c] <= b[5])
                {
                    segment = name;
                }
            }

            var x = customers[c];
            result[x.Id] = ((int)x.Recency, (int)x.Frequency, x.Monetary, r[c], f[c], m[c], segment ?? "Others");
        }

        return result;
    }
}
