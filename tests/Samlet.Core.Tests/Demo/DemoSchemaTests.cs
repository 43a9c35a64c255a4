using System.Text.Json;
using Samlet.Demo;

namespace Samlet.Core.Tests.Demo;

[Collection(DemoSampleCollection.Name)]
public sealed class DemoSchemaTests(DemoSample sample)
{
    [Fact]
    public void Every_line_is_valid_per_the_spec_or_a_planted_kind_of_bad_data()
    {
        var violations = sample.Lines.Where(l => l.Verdict == LineVerdict.Violation)
            .Select(l => l.Reason + ": " + System.Text.Encoding.UTF8.GetString(l.Event.Line.Span)).Take(5).ToList();

        Assert.True(sample.Lines.Count > 30_000, $"only {sample.Lines.Count} lines");
        Assert.Empty(violations);
    }

    [Fact]
    public void Clean_data_has_only_valid_lines_and_unique_message_ids()
    {
        var shop = new DemoShop(new DemoOptions { Customers = 200, BadDataScale = 0 });
        var ids = new HashSet<string>();
        var count = 0;
        foreach (var ev in shop.Events())
        {
            var verdict = SegmentMessageRules.Check(ev.Line, shop.Start, shop.End, out var doc, out var reason);
            using (doc)
            {
                Assert.True(verdict == LineVerdict.Valid, reason);
                Assert.True(ids.Add(doc!.RootElement.GetProperty("messageId").GetString()!));
            }

            count++;
        }

        Assert.True(count > 10_000);
    }

    [Fact]
    public void Bad_data_stays_near_the_documented_rates()
    {
        var rates = BadDataRates.Default;
        var n = (double)sample.Lines.Count;
        var tracks = sample.Lines.Count(l => l.Document is { } d && SegmentMessageRules.String(d.RootElement, "type") == "track");
        var duplicates = CountDuplicates();

        AssertNear(rates.PlaceholderId * n, Count(LineVerdict.PlaceholderId));
        AssertNear(rates.MissingIds * n, Count(LineVerdict.MissingIds));
        AssertNear(rates.TrackWithoutEvent * tracks, Count(LineVerdict.TrackWithoutEvent));
        AssertNear(rates.MalformedLine * n, Count(LineVerdict.Malformed));
        AssertNear(rates.DuplicateMessage * n, duplicates);
        Assert.True((n - Count(LineVerdict.Valid) + duplicates) / n < 0.01, "more than 1% bad lines");
    }

    [Fact]
    public void Retries_repeat_the_original_line_byte_for_byte_right_after_it()
    {
        var repeats = 0;
        for (var i = 1; i < sample.Lines.Count; i++)
        {
            if (sample.Lines[i].Event.Line.Span.SequenceEqual(sample.Lines[i - 1].Event.Line.Span))
            {
                repeats++;
            }
        }

        Assert.True(repeats > 0);
        Assert.Equal(CountDuplicates(), repeats);
    }

    [Fact]
    public void Events_are_in_time_order_within_the_window()
    {
        var times = sample.Lines.Select(l => l.Event.Timestamp).ToList();

        Assert.All(times, t => Assert.InRange(t, sample.Shop.Start, sample.Shop.End));
        Assert.True(times.Zip(times.Skip(1)).All(p => p.First <= p.Second));
        Assert.True(times[0] < sample.Shop.Start.AddDays(3) && times[^1] > sample.Shop.End.AddDays(-3));
    }

    [Fact]
    public void The_timestamp_field_is_iso_utc_and_equals_the_event_time()
    {
        foreach (var line in sample.Lines.Where(l => l.Verdict == LineVerdict.Valid).Take(5000))
        {
            var text = line.Document!.RootElement.GetProperty("timestamp").GetString()!;
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", text);
            Assert.Equal(line.Event.Timestamp, DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Covers_every_message_type_and_the_ecommerce_funnel()
    {
        var types = sample.Valid.Select(e => e.GetProperty("type").GetString()).ToHashSet();
        var events = sample.Valid.Select(e => SegmentMessageRules.String(e, "event")).ToHashSet();

        Assert.Superset(new HashSet<string?> { "identify", "track", "page", "screen", "group", "alias" }, types);
        Assert.Superset(
            new HashSet<string?>
            {
                "Products Searched", "Product List Viewed", "Product Viewed", "Product Added", "Cart Viewed", "Checkout Started",
                "Order Completed", "Signed Up", "Signed In", "Consent Updated", "Application Installed", "Application Opened",
            },
            events);
    }

    private int Count(LineVerdict verdict) => sample.Lines.Count(l => l.Verdict == verdict);

    private int CountDuplicates()
    {
        var seen = new HashSet<string>();
        return sample.Lines.Count(l => l.Document is { } d && d.RootElement.ValueKind == JsonValueKind.Object
            && SegmentMessageRules.String(d.RootElement, "messageId") is { } id && !seen.Add(id));
    }

    /// <summary>Present, and within Poisson noise (four standard deviations) plus 25% of the expectation.</summary>
    private static void AssertNear(double expected, int actual)
    {
        var slack = (4 * Math.Sqrt(expected)) + (0.25 * expected);
        Assert.True(actual >= 1 && Math.Abs(actual - expected) <= slack, $"expected about {expected:F1}, got {actual}");
    }
}
