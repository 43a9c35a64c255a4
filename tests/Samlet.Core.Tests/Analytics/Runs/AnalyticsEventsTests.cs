using System.Text.Json;
using System.Text.Json.Nodes;
using Samlet.Analytics.Runs;
using Samlet.Events;
using Samlet.Identity;

namespace Samlet.Core.Tests.Analytics.Runs;

public sealed class AnalyticsEventsTests
{
    private static readonly DateTimeOffset _now = new(2026, 3, 1, 9, 0, 0, 123, TimeSpan.Zero);

    private static KeyValuePair<string, JsonNode?> T(string key, JsonNode? value) => KeyValuePair.Create(key, value);

    private static ProfileIdentity Identity(params (string Type, string Value, int Minutes)[] held) =>
        new("prf_1", _now, [.. held.Select(h => new HeldIdentifier(new Identifier(h.Type, h.Value), _now.AddMinutes(h.Minutes)))]);

    [Fact]
    public void A_prediction_is_an_identify_of_the_workspaces_analytics_source_with_the_traits_the_profile_and_the_run()
    {
        var e = AnalyticsEvents.Create(
            "ws_shop", 42, "prf_1", Identity((IdentifierTypes.UserId, "u1", 0)),
            [T("rfm_segment", "Champions"), T("p_alive", 0.82), T("predicted_orders_12m", 3), T("top_categories", new JsonArray("Running", "Trail")), T("churn_reason", null)],
            _now);

        Assert.Equal(("src_analytics_ws_shop", EventType.Identify, null, "u1", null, _now, _now), (e.SourceId, e.Type, e.EventName, e.UserId, e.AnonymousId, e.Timestamp, e.ReceivedAt));
        using var payload = JsonDocument.Parse(e.Payload);
        var root = payload.RootElement;
        Assert.Equal("identify", root.GetProperty("type").GetString());
        Assert.Equal(e.MessageId, root.GetProperty("messageId").GetString());
        Assert.Equal("u1", root.GetProperty("userId").GetString());
        Assert.False(root.TryGetProperty("anonymousId", out _));
        Assert.Equal(
            """{"rfm_segment":"Champions","p_alive":0.82,"predicted_orders_12m":3,"top_categories":["Running","Trail"],"churn_reason":null}""",
            root.GetProperty("traits").GetRawText());
        Assert.Equal("""{"library":{"name":"samlet"},"samlet":{"profileId":"prf_1","runId":42}}""", root.GetProperty("context").GetRawText());
        foreach (var name in new[] { "timestamp", "originalTimestamp", "receivedAt" })
        {
            Assert.Equal("2026-03-01T09:00:00.1230000Z", root.GetProperty(name).GetString());
        }

        // The pipeline finds the profile where it finds an announcement's.
        Assert.Equal("prf_1", OwnEvent.ProfileIdOf(root));
    }

    [Fact]
    public void The_message_id_follows_from_the_run_and_the_profile_only()
    {
        var first = AnalyticsEvents.Create("ws_shop", 7, "prf_1", null, [T("p_alive", 0.5)], _now).MessageId;

        Assert.Matches("^ana-[0-9a-f]{32}$", first);
        // Appending the same run's event again (another time, other values, the profile's ids since) is a duplicate.
        Assert.Equal(first, AnalyticsEvents.Create("ws_shop", 7, "prf_1", Identity((IdentifierTypes.UserId, "u1", 0)), [T("p_alive", 0.6)], _now.AddHours(1)).MessageId);
        Assert.NotEqual(first, AnalyticsEvents.Create("ws_shop", 8, "prf_1", null, [T("p_alive", 0.5)], _now).MessageId);
        Assert.NotEqual(first, AnalyticsEvents.Create("ws_shop", 7, "prf_2", null, [T("p_alive", 0.5)], _now).MessageId);
        // Runs 1 and 11 of profiles "1prf" and "prf": the parts are separated.
        Assert.NotEqual(
            AnalyticsEvents.Create("ws_shop", 1, "1prf", null, [], _now).MessageId,
            AnalyticsEvents.Create("ws_shop", 11, "prf", null, [], _now).MessageId);
    }

    [Theory]
    [InlineData("user_id:u-old@0 user_id:u-new@5 anonymous_id:a1@9", "u-new", null)]
    [InlineData("anonymous_id:a-new@5 anonymous_id:a-old@0 email:x@y.dk@9", null, "a-new")]
    [InlineData("email:x@y.dk@0", null, "prf_1")]
    [InlineData("", null, "prf_1")]
    public void The_event_names_the_person_by_the_latest_user_id_else_the_latest_anonymous_id_else_the_profile_id(string held, string? userId, string? anonymousId)
    {
        var identifiers = held.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(h =>
        {
            var at = h.LastIndexOf('@');
            var colon = h.IndexOf(':');
            return (h[..colon], h[(colon + 1)..at], int.Parse(h[(at + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }).ToArray();

        var e = AnalyticsEvents.Create("ws_shop", 1, "prf_1", identifiers.Length == 0 ? null : Identity(identifiers), [T("p_alive", 0.5)], _now);

        Assert.Equal((userId, anonymousId), (e.UserId, e.AnonymousId));
        using var payload = JsonDocument.Parse(e.Payload);
        Assert.Equal(userId, payload.RootElement.TryGetProperty("userId", out var u) ? u.GetString() : null);
        Assert.Equal(anonymousId, payload.RootElement.TryGetProperty("anonymousId", out var a) ? a.GetString() : null);
    }
}
