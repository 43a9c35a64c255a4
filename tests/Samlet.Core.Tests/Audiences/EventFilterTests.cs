using System.Text;
using Samlet.Audiences;
using Samlet.Events;

namespace Samlet.Core.Tests.Audiences;

public sealed class EventFilterTests
{
    private static readonly DateTimeOffset _at = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static (StoredEvent Event, System.Text.Json.JsonElement Payload) Event(EventType type, string? name, string payload) =>
        (new StoredEvent(1, "src", "m1", type, name, "u1", null, _at, _at, Encoding.UTF8.GetBytes(payload)), Build.Json(payload));

    private static EventFilter Filter(string trait) => Build.Trait(trait).Aggregate.Filter;

    [Fact]
    public void Lets_through_events_of_the_type_name_and_property_conditions()
    {
        var filter = Filter("""
            {"key": "k", "aggregation": "count", "event": "Order Completed",
             "where": [{"property": "properties.category", "op": "equals", "value": "Running"},
                       {"property": "properties.total", "op": "greaterThan", "value": 50}]}
            """);
        bool Passes(EventType type, string? name, string payload)
        {
            var (e, p) = Event(type, name, payload);
            return filter.Matches(e, p);
        }

        Assert.True(Passes(EventType.Track, "Order Completed", """{"properties": {"category": "Running", "total": 80}}"""));
        Assert.False(Passes(EventType.Track, "Order Completed", """{"properties": {"category": "Running", "total": 50}}"""));
        Assert.False(Passes(EventType.Track, "Order Completed", """{"properties": {"category": "running", "total": 80}}"""));
        Assert.False(Passes(EventType.Track, "Order completed", """{"properties": {"category": "Running", "total": 80}}"""));
        Assert.False(Passes(EventType.Page, "Order Completed", """{"properties": {"category": "Running", "total": 80}}"""));
        Assert.False(Passes(EventType.Track, "Order Completed", """{"properties": {"total": 80}}"""));
        Assert.False(Passes(EventType.Track, "Order Completed", """{"properties": "Running"}"""));
    }

    [Fact]
    public void Resolves_nested_dotted_paths_from_the_payload_root_and_takes_any_type_when_none_is_set()
    {
        var filter = Filter("""
            {"key": "k", "aggregation": "count", "where": [{"property": "context.page.path", "op": "startsWith", "value": "/shoes"}]}
            """);
        var (page, pagePayload) = Event(EventType.Page, null, """{"context": {"page": {"path": "/Shoes/trail"}}}""");
        var (screen, screenPayload) = Event(EventType.Screen, "Home", """{"context": {"page": {"path": "/shoes"}}}""");
        var (other, otherPayload) = Event(EventType.Page, null, """{"context": {"page": {"url": "/shoes"}}}""");
        Assert.True(filter.Matches(page, pagePayload));
        Assert.True(filter.Matches(screen, screenPayload));
        Assert.False(filter.Matches(other, otherPayload));
    }

    [Fact]
    public void An_exists_condition_counts_only_events_that_have_the_property()
    {
        var filter = new EventFilter(null, null, [new PropertyCondition("properties.coupon", new Comparison { Operator = ComparisonOperator.Exists })]);
        var (with, withPayload) = Event(EventType.Track, "Order Completed", """{"properties": {"coupon": "SPRING"}}""");
        var (without, withoutPayload) = Event(EventType.Track, "Order Completed", """{"properties": {"coupon": null}}""");
        Assert.True(filter.Matches(with, withPayload));
        Assert.False(filter.Matches(without, withoutPayload));
    }
}
