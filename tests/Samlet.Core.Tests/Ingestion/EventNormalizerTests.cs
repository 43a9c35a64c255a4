using System.Text;
using System.Text.Json;
using Samlet.Events;
using Samlet.Ingestion;

namespace Samlet.Core.Tests.Ingestion;

public sealed class EventNormalizerTests
{
    private static readonly DateTimeOffset _receivedAt = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private readonly EventNormalizer _normalizer = new(new IngestionLimits());

    private NormalizedEvent Normalize(string json, EventType? routeType = null, string? batchJson = null, string? ip = "203.0.113.7")
    {
        using var item = JsonDocument.Parse(json);
        using var batch = batchJson is null ? null : JsonDocument.Parse(batchJson);
        var envelope = batch is null ? default : BatchEnvelope.From(batch.RootElement);
        return _normalizer.Normalize(item.RootElement, envelope, routeType, new IngestContext("src_1", _receivedAt, ip));
    }

    private static JsonElement Payload(NormalizedEvent result)
    {
        Assert.True(result.Accepted is not null, result.Rejected?.Reason);
        return JsonDocument.Parse(result.Accepted!.Payload).RootElement;
    }

    [Fact]
    public void Corrects_the_client_clock_skew_from_sentAt()
    {
        // The client's clock is 10 minutes fast: it sent at 12:10 (its time) what happened at 12:09 (its time).
        var result = Normalize("""{"type":"track","event":"A","userId":"u","originalTimestamp":"2026-11-25T12:09:00Z","sentAt":"2026-11-25T12:10:00Z"}""");
        Assert.Equal(_receivedAt.AddMinutes(-1), result.Accepted!.Timestamp);
        var payload = Payload(result);
        Assert.Equal("2026-11-25T11:59:00Z", payload.GetProperty("timestamp").GetString());
        Assert.Equal("2026-11-25T12:09:00Z", payload.GetProperty("originalTimestamp").GetString());
        Assert.Equal("2026-11-25T12:00:00Z", payload.GetProperty("receivedAt").GetString());
    }

    [Fact]
    public void Treats_a_server_library_timestamp_as_the_original_timestamp_and_uses_the_batch_sentAt()
    {
        var result = Normalize(
            """{"type":"track","event":"A","userId":"u","timestamp":"2026-11-25T11:59:58Z"}""",
            batchJson: """{"batch":[],"sentAt":"2026-11-25T11:59:59Z"}""");
        Assert.Equal(_receivedAt.AddSeconds(-1), result.Accepted!.Timestamp);
    }

    [Fact]
    public void Keeps_historical_timestamps_of_imports_without_sentAt()
    {
        var result = Normalize("""{"type":"track","event":"A","userId":"u","timestamp":"2024-01-01T08:00:00Z"}""");
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 8, 0, 0, TimeSpan.Zero), result.Accepted!.Timestamp);
    }

    [Theory]
    [InlineData("""{"type":"track","event":"A","userId":"u","timestamp":"yesterday"}""")]
    [InlineData("""{"type":"track","event":"A","userId":"u"}""")]
    [InlineData("""{"type":"track","event":"A","userId":"u","sentAt":"2026-11-25T13:00:00Z"}""")]
    public void Uses_receivedAt_when_the_client_time_is_missing_or_unparseable(string json) =>
        Assert.Equal(_receivedAt, Normalize(json).Accepted!.Timestamp);

    [Fact]
    public void Takes_the_type_from_the_route_over_the_body()
    {
        var result = Normalize("""{"type":"page","event":"Clicked","anonymousId":"a"}""", EventType.Track);
        Assert.Equal(EventType.Track, result.Accepted!.Type);
        Assert.Equal("track", Payload(result).GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("""{"event":"A","userId":"u"}""", "no \"type\"")]
    [InlineData("""{"type":"purchase","userId":"u"}""", "Unknown type")]
    [InlineData("""{"type":"t","event":"A","userId":"u"}""", "Unknown type")]
    [InlineData("""{"type":"track","userId":"u"}""", "\"event\" name")]
    [InlineData("""{"type":"track","event":"  ","userId":"u"}""", "\"event\" name")]
    [InlineData("""{"type":"track","event":"A"}""", "\"userId\" or an \"anonymousId\"")]
    [InlineData("""{"type":"track","event":"A","userId":""}""", "\"userId\" or an \"anonymousId\"")]
    [InlineData("""{"type":"track","event":"A","userId":{"id":1}}""", "\"userId\" must be a string or a number")]
    [InlineData("""{"type":"track","event":"A","userId":"u","properties":[1,2]}""", "\"properties\" must be an object")]
    [InlineData("""{"type":"identify","userId":"u","traits":"vip"}""", "\"traits\" must be an object")]
    [InlineData("""{"type":"track","event":"A","userId":"u","context":5}""", "\"context\" must be an object")]
    [InlineData("""{"type":"track","event":7,"userId":"u"}""", "\"event\" must be a string")]
    [InlineData("""{"type":"group","userId":"u"}""", "\"groupId\"")]
    [InlineData("""{"type":"alias","userId":"u"}""", "\"previousId\"")]
    [InlineData("""{"type":"alias","previousId":"a"}""", "\"previousId\"")]
    [InlineData("""[1,2]""", "not a JSON object")]
    public void Rejects_events_that_break_the_spec_with_a_reason(string json, string reasonPart)
    {
        var result = Normalize(json);
        Assert.Null(result.Accepted);
        Assert.Contains(reasonPart, result.Rejected!.Reason, StringComparison.Ordinal);
        Assert.Equal(json, Encoding.UTF8.GetString(result.Rejected.Payload));
    }

    [Fact]
    public void Rejects_a_messageId_longer_than_100_characters()
    {
        var result = Normalize($$"""{"type":"track","event":"A","userId":"u","messageId":"{{new string('m', 101)}}"}""");
        Assert.Contains("messageId", result.Rejected!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_an_event_over_the_size_limit()
    {
        var json = $$$"""{"type":"track","event":"A","userId":"u","properties":{"blob":"{{{new string('x', 33 * 1024)}}}"}}""";
        Assert.Contains("limit is 32768", Normalize(json).Rejected!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Coerces_numeric_ids_to_strings()
    {
        var result = Normalize("""{"type":"identify","userId":12345,"traits":{}}""");
        Assert.Equal("12345", result.Accepted!.UserId);
        Assert.Equal("12345", Payload(result).GetProperty("userId").GetString());
    }

    [Fact]
    public void Fills_a_missing_messageId_and_keeps_a_given_one()
    {
        Assert.True(Guid.TryParse(Normalize("""{"type":"track","event":"A","userId":"u"}""").Accepted!.MessageId, out _));
        Assert.Equal("ajs-next-1-x", Normalize("""{"type":"track","event":"A","userId":"u","messageId":"ajs-next-1-x"}""").Accepted!.MessageId);
    }

    [Fact]
    public void Derives_a_missing_messageId_from_the_content_for_imports()
    {
        using var doc = JsonDocument.Parse("""{"type":"track","event":"A","userId":"u"}""");
        var context = new IngestContext("src_1", _receivedAt, null, MissingMessageIds.ContentHash);
        var first = _normalizer.Normalize(doc.RootElement, default, null, context).Accepted!.MessageId;
        var second = _normalizer.Normalize(doc.RootElement, default, null, context with { ReceivedAt = _receivedAt.AddDays(1) }).Accepted!.MessageId;
        Assert.Equal(first, second);
        Assert.StartsWith("sha256-", first, StringComparison.Ordinal);
    }

    [Fact]
    public void Fills_context_ip_from_the_connection_only_when_absent()
    {
        Assert.Equal("203.0.113.7", Payload(Normalize("""{"type":"track","event":"A","userId":"u"}""")).GetProperty("context").GetProperty("ip").GetString());
        Assert.Equal("10.1.1.1", Payload(Normalize("""{"type":"track","event":"A","userId":"u","context":{"ip":"10.1.1.1"}}""")).GetProperty("context").GetProperty("ip").GetString());
    }

    [Fact]
    public void Merges_the_batch_context_and_integrations_under_the_event_own()
    {
        var result = Normalize(
            """{"type":"track","event":"A","userId":"u","context":{"locale":"da-DK"},"integrations":{"Mixpanel":false}}""",
            batchJson: """{"batch":[],"context":{"locale":"en-US","library":{"name":"batch-lib"}},"integrations":{"All":true}}""");
        var payload = Payload(result);
        var context = payload.GetProperty("context");
        Assert.Equal("da-DK", context.GetProperty("locale").GetString());
        Assert.Equal("batch-lib", context.GetProperty("library").GetProperty("name").GetString());
        Assert.True(payload.GetProperty("integrations").GetProperty("All").GetBoolean());
        Assert.False(payload.GetProperty("integrations").GetProperty("Mixpanel").GetBoolean());
    }

    [Fact]
    public void Copies_identify_traits_from_context_traits_under_the_top_level_ones()
    {
        var payload = Payload(Normalize("""{"type":"identify","anonymousId":"a","traits":{"plan":"pro"},"context":{"traits":{"email":"x@example.com","plan":"free"}}}"""));
        var traits = payload.GetProperty("traits");
        Assert.Equal("x@example.com", traits.GetProperty("email").GetString());
        Assert.Equal("pro", traits.GetProperty("plan").GetString());
    }

    [Fact]
    public void Takes_a_page_name_and_category_from_properties_when_the_top_level_has_none()
    {
        var result = Normalize("""{"type":"page","anonymousId":"a","properties":{"name":"Home","category":"Docs","url":"https://x"}}""");
        Assert.Equal("Home", result.Accepted!.EventName);
        Assert.Equal("Home", Payload(result).GetProperty("name").GetString());
        Assert.Equal("Docs", Payload(result).GetProperty("category").GetString());
        Assert.Equal("Shop", Payload(Normalize("""{"type":"page","anonymousId":"a","category":"Shop","properties":{"category":"Docs"}}""")).GetProperty("category").GetString());
    }

    [Fact]
    public void Drops_the_body_write_key_and_keeps_unknown_fields()
    {
        var payload = Payload(Normalize("""{"type":"track","event":"A","userId":"u","writeKey":"secret","channel":"server","version":2}"""));
        Assert.False(payload.TryGetProperty("writeKey", out _));
        Assert.Equal("server", payload.GetProperty("channel").GetString());
        Assert.Equal(2, payload.GetProperty("version").GetInt32());
    }
}
