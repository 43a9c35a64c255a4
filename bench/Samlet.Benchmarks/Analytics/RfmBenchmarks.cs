using System.Globalization;
using BenchmarkDotNet.Attributes;
using Samlet.Analytics.Rfm;
using Samlet.Analytics.Transactions;

namespace Samlet.Benchmarks.Analytics;

/// <summary>RFM scoring of one million customers with about three orders each, drawn with a fixed seed.</summary>
[Config(typeof(ShortRunConfig))]
[MemoryDiagnoser]
public class RfmBenchmarks // not sealed: BenchmarkDotNet refuses sealed benchmark classes
{
    private static readonly DateOnly _asOf = new(2025, 1, 1);
    private Transaction[] _orders = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        var orders = new List<Transaction>(3_500_000);
        for (var c = 0; c < 1_000_000; c++)
        {
            var id = c.ToString("D7", CultureInfo.InvariantCulture);
            var count = 1 + (int)(-Math.Log(1 - random.NextDouble()) * 2); // 1 + exponential(mean 2), rounded down
            for (var k = 0; k < count; k++)
            {
                orders.Add(new Transaction(id, _asOf.AddDays(-random.Next(1, 1_000)), Math.Round(5 + (random.NextDouble() * 200), 2)));
            }
        }

        _orders = [.. orders];
    }

    [Benchmark]
    public int Million_customers() => RfmScorer.Score(_orders, _asOf).Customers.Count;
}
