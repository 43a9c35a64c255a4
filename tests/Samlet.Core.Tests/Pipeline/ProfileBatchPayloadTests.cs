using System.Text;
using Samlet.Audiences;
using Samlet.Core.Tests.Audiences;
using Samlet.Events;
using Samlet.Identity;
using Samlet.Pipeline;
using Samlet.Profiles;

namespace Samlet.Core.Tests.Pipeline;

/// <summary>
/// A batch keeps a payload parsed only while the workspace's definitions read it; the others are released after
/// parsing, and parsed again at decide time if the definitions changed in between. Either way the outcome is the same.
/// </summary>
public sealed class ProfileBatchPayloadTests
{
    private const string Ws = "ws_1";
    private static readonly DateTimeOffset _t0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly WorkspaceDefinitions _none = new(1, [], []);

    private static readonly WorkspaceDefinitions _revenue = new(2, [
        Build.Trait("""{"key": "revenue", "aggregation": "sum", "type": "track", "event": "Order Completed", "property": "properties.total"}"""),
        Build.Trait("""{"key": "orders", "aggregation": "count", "type": "track", "event": "Order Completed"}"""),
        Build.Trait("""{"key": "big_views", "aggregation": "count", "type": "track", "event": "Product Viewed", "where": [{"property": "properties.price", "op": "greaterThan", "value": 100}]}"""),
    ], []);

    [Fact]
    public void Only_aggregates_with_conditions_or_a_property_read_the_payloads_their_filter_takes()
    {
        Assert.True(_revenue.ReadsPayloadOf(EventType.Track, "Order Completed"));
        Assert.True(_revenue.ReadsPayloadOf(EventType.Track, "Product Viewed")); // a condition on a property
        Assert.False(_revenue.ReadsPayloadOf(EventType.Track, "Signed Up"));
        Assert.False(_revenue.ReadsPayloadOf(EventType.Identify, null));
        Assert.False(_none.ReadsPayloadOf(EventType.Track, "Order Completed"));

        var counts = new WorkspaceDefinitions(3, [Build.Trait("""{"key": "orders", "aggregation": "count", "event": "Order Completed"}""")], []);
        Assert.False(counts.ReadsPayloadOf(EventType.Track, "Order Completed"));
    }

    [Theory]
    [InlineData("as decided")]
    [InlineData("none")]
    [InlineData("unknown")]
    public void Payloads_released_after_parsing_are_parsed_again_when_the_definitions_at_decide_time_read_them(string parsedWith)
    {
        var definitions = parsedWith switch { "as decided" => _revenue, "none" => _none, _ => null };
        var profile = Decide(definitions, _revenue);

        Assert.Equal("42", profile.Computed["revenue"].State!.Value(_t0.AddDays(1)));
        Assert.Equal(2, profile.Computed["orders"].State!.Count(_t0.AddDays(1)));
        Assert.Equal(1, profile.Computed["big_views"].State!.Count(_t0.AddDays(1)));
        Assert.Equal("\"pro\"", profile.Traits["plan"]!.Json);
        Assert.Equal("\"Jane\"", profile.Traits["name"]!.Json); // from context.traits of a track event whose payload was released
        Assert.Equal(4, profile.TypeCounts["track"]);
    }

    private static ProfileState Decide(WorkspaceDefinitions? parsedWith, WorkspaceDefinitions decidedWith)
    {
        StoredEvent[] events =
        [
            Event(1, "identify", null, """ "traits": {"plan": "pro"} """),
            Event(2, "track", "Order Completed", """ "properties": {"total": 30} """),
            Event(3, "track", "Product Viewed", """ "properties": {"price": 150}, "context": {"traits": {"name": "Jane"}} """),
            Event(4, "track", "Product Viewed", """ "properties": {"price": 20} """),
            Event(5, "track", "Order Completed", """ "properties": {"total": 12} """),
        ];
        using var batch = new ProfileBatch(Ws, IdentityRuleSet.Default, events, parsedWith);
        var changes = new ChangeSet();
        var stage = new AudienceStage(decidedWith, Ws, null) { Announce = false };
        batch.Decide([], [], [], new Dictionary<string, string>(), stage, _t0.AddDays(1), changes);
        return Assert.Single(changes.Profiles);
    }

    private static StoredEvent Event(long sequence, string type, string? name, string fields)
    {
        var eventName = name is null ? "" : $""" "event": "{name}", """;
        var json = $$"""{"type": "{{type}}", {{eventName}} "messageId": "m{{sequence}}", "userId": "u1", "timestamp": "2026-11-01T09:00:0{{sequence}}Z", {{fields}} }""";
        EventTypes.TryParse(type, out var eventType);
        var at = _t0.AddSeconds(sequence);
        return new StoredEvent(sequence, "src_web", $"m{sequence}", eventType, name, "u1", null, at, at, Encoding.UTF8.GetBytes(json));
    }
}
