using System.Globalization;
using MathNet.Numerics.Distributions;

namespace Samlet.Analytics.Lifetime;

/// <summary>
/// Draws calibration summaries (in weeks) from the BG/NBD and Gamma-Gamma models, for benchmarks and for checking
/// that fits recover known parameters. Customers are born uniformly over <c>cohortDays</c> before the calibration end.
/// With <c>wholeDays</c>, birth and purchase times are whole days and same-day purchases count once, as in summaries
/// of real files (many customers then share a triple, but the data depart slightly from the continuous-time model).
/// </summary>
internal static class BgNbdSimulation
{
    public static CalibrationSummary Draw(BgNbdModel purchases, GammaGammaModel spend, int customers, int cohortDays, bool wholeDays, int seed)
    {
        var random = new Random(seed);
        var ids = new string[customers];
        var x = new int[customers];
        var tx = new double[customers];
        var age = new double[customers];
        var meanSpend = new double[customers];
        for (var i = 0; i < customers; i++)
        {
            ids[i] = i.ToString("D7", CultureInfo.InvariantCulture);
            age[i] = wholeDays ? random.Next(cohortDays) / 7.0 : random.NextDouble() * cohortDays / 7.0;
            // λ per week ~ Gamma(r, rate α); after each purchase the customer leaves with probability p ~ Beta(a, b).
            var rate = Gamma.Sample(random, purchases.R, purchases.Alpha);
            var dropout = Beta.Sample(random, purchases.A, purchases.B);
            double time = 0, last = 0;
            var count = 0;
            while (true)
            {
                time += Exponential.Sample(random, rate);
                var at = wholeDays ? Math.Floor(time * 7) / 7 : time;
                if (at > age[i])
                {
                    break;
                }

                if (at > last || !wholeDays)
                {
                    count++;
                    last = at;
                }

                if (random.NextDouble() < dropout)
                {
                    break;
                }
            }

            x[i] = count;
            tx[i] = last;
            if (count > 0)
            {
                // The mean of x Gamma(p, ν) values is Gamma(px, xν), with ν ~ Gamma(q, rate γ) per customer.
                var nu = Gamma.Sample(random, spend.Q, spend.Gamma);
                meanSpend[i] = Gamma.Sample(random, spend.P * count, nu * count);
            }
        }

        return new CalibrationSummary(ids, x, tx, age, meanSpend);
    }
}
