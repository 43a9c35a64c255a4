using System.Security.Cryptography;
using System.Text.Json;
using Samlet.Demo;

namespace Samlet.Core.Tests.Demo;

public sealed class DemoShopTests
{
    private static readonly DemoOptions _small = new() { Customers = 150, Days = 60 };

    [Fact]
    public void Same_seed_and_options_give_byte_identical_output()
    {
        var first = Write(_small);
        var second = Write(_small);

        Assert.True(first.Length > 100_000);
        Assert.Equal(SHA256.HashData(first), SHA256.HashData(second));
    }

    [Fact]
    public void A_different_seed_gives_different_output()
    {
        Assert.NotEqual(SHA256.HashData(Write(_small)), SHA256.HashData(Write(_small with { Seed = 7 })));
    }

    [Fact]
    public void Enumerated_events_are_the_written_json_lines()
    {
        var shop = new DemoShop(_small);
        using var joined = new MemoryStream();
        foreach (var ev in shop.Events())
        {
            joined.Write(ev.Line.Span);
            joined.WriteByte((byte)'\n');
        }

        Assert.Equal(Write(_small), joined.ToArray());
    }

    [Fact]
    public void Reports_progress_and_totals_while_writing()
    {
        var reports = new List<DemoStats>();
        using var output = new MemoryStream();

        var totals = new DemoShop(_small).WriteJsonLines(output, new Collect(reports));

        Assert.Equal(output.Length, totals.Bytes);
        Assert.Equal(totals.Events, output.ToArray().Count(b => b == (byte)'\n'));
        Assert.True(reports.Count >= 2);
        Assert.Equal(totals, reports[^1]);
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.First.Fraction <= p.Second.Fraction));
    }

    [Fact]
    public void Batch_requests_carry_every_line_in_order_and_send_malformed_lines_alone()
    {
        var shop = new DemoShop(_small with { BadDataScale = 20 });
        var expected = shop.Events().Select(e => e.Line.ToArray()).ToList();
        var received = new List<byte[]>();
        var malformedBodies = 0;

        foreach (var body in shop.BatchRequests(maxEvents: 50))
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                var batch = doc.RootElement.GetProperty("batch");
                Assert.InRange(batch.GetArrayLength(), 1, 50);
                received.AddRange(batch.EnumerateArray().Select(e => System.Text.Encoding.UTF8.GetBytes(e.GetRawText())));
            }
            catch (JsonException)
            {
                malformedBodies++;
                received.Add(body.ToArray());
            }
        }

        Assert.True(malformedBodies > 0);
        Assert.Equal(expected.Count, received.Count);
        Assert.All(expected.Zip(received), p => Assert.Equal(p.First, p.Second));
    }

    [Theory]
    [InlineData(0, 365, 1.0)]
    [InlineData(10, 0, 1.0)]
    [InlineData(10, 4000, 1.0)]
    [InlineData(10, 365, -0.5)]
    public void Rejects_options_outside_the_supported_range(int customers, int days, double badData)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DemoShop(new DemoOptions { Customers = customers, Days = days, BadDataScale = badData }));
    }

    [Fact]
    public void The_window_ends_at_midnight_utc_of_the_end_date()
    {
        var shop = new DemoShop(new DemoOptions { End = new DateOnly(2026, 11, 1), Days = 30 });

        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), shop.End);
        Assert.Equal(new DateTimeOffset(2026, 10, 2, 0, 0, 0, TimeSpan.Zero), shop.Start);
    }

    private static byte[] Write(DemoOptions options)
    {
        using var output = new MemoryStream();
        new DemoShop(options).WriteJsonLines(output);
        return output.ToArray();
    }

    private sealed class Collect(List<DemoStats> into) : IProgress<DemoStats>
    {
        public void Report(DemoStats value) => into.Add(value);
    }
}
