using System.Buffers;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Samlet.Audiences;
using Samlet.Events;

namespace Samlet.Core.Tests.Audiences;

public sealed class AggregateStateTests
{
    private static readonly DateTimeOffset _now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static AggregateSpec Spec(Aggregation aggregation, string? property = "properties.total", TimeSpan? window = null, string? name = "Order Completed") =>
        new(aggregation, property, new EventFilter(EventType.Track, name, []), window);

    private static (StoredEvent Event, JsonDocument Payload) Order(int n, DateTimeOffset at, string totalJson, string name = "Order Completed")
    {
        var json = $$$"""{"type":"track","event":"{{{name}}}","messageId":"m{{{n}}}","properties":{"total":{{{totalJson}}}}}""";
        var e = new StoredEvent(n, "src_1", $"m{n}", EventType.Track, name, "u1", null, at, at, Encoding.UTF8.GetBytes(json));
        return (e, JsonDocument.Parse(json));
    }

    private static AggregateState Fold(AggregateSpec spec, params (int N, DateTimeOffset At, string Total)[] orders)
    {
        var state = new AggregateState(spec);
        foreach (var (n, at, total) in orders)
        {
            var (e, payload) = Order(n, at, total);
            using (payload)
            {
                state.Observe(e, payload.RootElement, _now);
            }
        }

        return state;
    }

    [Theory]
    [InlineData(Aggregation.Count, "3")]
    [InlineData(Aggregation.Sum, "60.5")]
    [InlineData(Aggregation.Min, "10")]
    [InlineData(Aggregation.Max, "40.5")]
    [InlineData(Aggregation.Average, "20.1666666667")]
    [InlineData(Aggregation.First, "10")]
    [InlineData(Aggregation.Last, "10")]
    [InlineData(Aggregation.MostFrequent, "10")]
    [InlineData(Aggregation.DistinctValues, "[10,40.5]")]
    [InlineData(Aggregation.DistinctCount, "2")]
    public void Computes_each_aggregation_over_all_time(Aggregation aggregation, string expected)
    {
        var state = Fold(Spec(aggregation),
            (1, _now.AddDays(-30), "10.0"), (2, _now.AddDays(-20), "40.5"), (3, _now.AddDays(-10), "10"));

        var value = state.Value(_now);

        Assert.Equal(expected, value);
    }

    [Fact]
    public void A_rolling_window_counts_an_event_exactly_at_its_edge_and_drops_it_one_tick_later()
    {
        var window = TimeSpan.FromDays(7);
        var state = Fold(Spec(Aggregation.Count, property: null, window), (1, _now - window, "1"), (2, _now.AddDays(-1), "1"));

        Assert.Equal(2, state.Count(_now));
        Assert.Equal(_now + TimeSpan.FromTicks(1), state.NextExpiry());
        Assert.Equal(1, state.Count(_now + TimeSpan.FromTicks(1)));
        Assert.Equal("1", state.Value(_now + TimeSpan.FromTicks(1)));
    }

    [Fact]
    public void An_event_older_than_the_window_when_it_arrives_is_not_kept()
    {
        var state = Fold(Spec(Aggregation.Count, property: null, TimeSpan.FromDays(7)), (1, _now.AddDays(-8), "1"));

        Assert.Equal(0, state.Count(_now));
        Assert.Null(state.NextExpiry());
    }

    [Fact]
    public void Events_of_other_names_or_without_the_property_are_not_folded_in()
    {
        var state = new AggregateState(Spec(Aggregation.Sum));
        var (other, otherPayload) = Order(1, _now, "5", name: "Product Viewed");
        var (missing, missingPayload) = Order(2, _now, "null");
        using (otherPayload)
        using (missingPayload)
        {
            Assert.False(state.Observe(other, otherPayload.RootElement, _now));
            Assert.False(state.Observe(missing, missingPayload.RootElement, _now));
        }

        Assert.Equal("0", state.Value(_now));
        Assert.Null(new AggregateState(Spec(Aggregation.Max)).Value(_now));
    }

    [Fact]
    public void Non_numeric_values_count_for_frequencies_but_not_for_sums()
    {
        var state = Fold(Spec(Aggregation.Sum), (1, _now, "\"n/a\""), (2, _now, "3"));
        var frequent = Fold(Spec(Aggregation.DistinctValues), (1, _now, "\"n/a\""), (2, _now, "3"));

        Assert.Equal("3", state.Value(_now));
        Assert.Equal("[\"n/a\",3]", frequent.Value(_now));
    }

    [Fact]
    public void A_stored_state_reads_back_to_the_same_value()
    {
        foreach (var spec in new[] { Spec(Aggregation.Average), Spec(Aggregation.Last, window: TimeSpan.FromDays(30)) })
        {
            var state = Fold(spec, (1, _now.AddDays(-3), "7"), (2, _now.AddDays(-2), "8.25"));
            var json = Written(state);
            using var document = JsonDocument.Parse(json);

            var read = AggregateState.Read(spec, document.RootElement);

            Assert.Equal(state.Value(_now), read.Value(_now));
            Assert.Equal(json, Written(read));
        }
    }

    /// <summary>The heart of "live equals rebuild": the state is a function of the set of events, however they are ordered and split across merged profiles.</summary>
    [Fact]
    public void Order_and_splitting_across_merged_profiles_never_change_the_outcome()
    {
        var aggregations = Enum.GetValues<Aggregation>();
        var windows = new TimeSpan?[] { null, TimeSpan.FromDays(10) };
        var events = Gen.Choose(0, 30).SelectMany(days => Gen.Choose(0, 6).Select(value => (days, value)))
            .ListOf().Select(list => list.Select((x, i) => (N: i, At: _now.AddDays(-x.days), Total: (x.value * 1.5m).ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray());
        Prop.ForAll(Arb.From(events), Arb.From(Gen.Choose(0, 1000)), (orders, seed) =>
        {
            foreach (var aggregation in aggregations)
            {
                foreach (var window in windows)
                {
                    var spec = Spec(aggregation, window: window);
                    var inOrder = Fold(spec, orders);
                    var random = new Random(seed);
                    var shuffled = orders.OrderBy(_ => random.Next()).ToArray();
                    var cut = shuffled.Length == 0 ? 0 : random.Next(shuffled.Length);
                    var survivor = Fold(spec, shuffled[..cut]);
                    survivor.Absorb(Fold(spec, shuffled[cut..]));
                    if (inOrder.Value(_now) != survivor.Value(_now) || Written(inOrder) != Written(survivor))
                    {
                        return false;
                    }
                }
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }

    private static string Written(AggregateState state)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            state.Write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
