using System.Globalization;
using System.Text.Json;

namespace Samlet.Core.Tests.Demo;

/// <summary>
/// An independent reading of the ingestion spec §3 (message schema) used to judge generated lines:
/// common fields, required fields per type, and the context each SDK sends.
/// </summary>
public static class SegmentMessageRules
{
    private static readonly HashSet<string> _types = ["identify", "track", "page", "screen", "group", "alias"];

    public static LineVerdict Check(ReadOnlyMemory<byte> line, DateTimeOffset start, DateTimeOffset end, out JsonDocument? document, out string reason)
    {
        document = null;
        reason = "";
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            return LineVerdict.Malformed;
        }

        var e = document.RootElement;
        if (e.ValueKind != JsonValueKind.Object)
        {
            return Fail("not an object", out reason);
        }

        var type = String(e, "type");
        if (type is null || !_types.Contains(type))
        {
            return Fail($"type '{type}'", out reason);
        }

        var messageId = String(e, "messageId");
        if (string.IsNullOrEmpty(messageId) || messageId.Length > 100)
        {
            return Fail("messageId", out reason);
        }

        var timestamp = String(e, "timestamp");
        if (timestamp is null || !timestamp.EndsWith('Z')
            || !DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ts)
            || ts < start || ts > end)
        {
            return Fail($"timestamp '{timestamp}'", out reason);
        }

        if (!e.TryGetProperty("context", out var context) || context.ValueKind != JsonValueKind.Object
            || !context.TryGetProperty("library", out var library) || String(library, "name") is null || String(library, "version") is null)
        {
            return Fail("context.library", out reason);
        }

        var userId = String(e, "userId");
        var anonymousId = String(e, "anonymousId");
        if (userId is "null" or "undefined" || anonymousId is "null" or "undefined")
        {
            return LineVerdict.PlaceholderId;
        }

        if (string.IsNullOrEmpty(userId) && string.IsNullOrEmpty(anonymousId))
        {
            return LineVerdict.MissingIds;
        }

        switch (type)
        {
            case "track":
                if (!e.TryGetProperty("event", out var name))
                {
                    return LineVerdict.TrackWithoutEvent;
                }

                if (name.ValueKind != JsonValueKind.String || name.GetString()!.Length is 0 or > 128 || !IsObject(e, "properties"))
                {
                    return Fail("track event/properties", out reason);
                }

                break;
            case "identify" when !IsObject(e, "traits"):
            case "group" when String(e, "groupId") is null || !IsObject(e, "traits"):
            case "page" or "screen" when !IsObject(e, "properties"):
                return Fail($"{type} fields", out reason);
            case "alias" when String(e, "previousId") is null || userId is null:
                return Fail("alias ids", out reason);
        }

        var libraryName = String(library, "name");
        if (libraryName == "analytics.js" && (String(context, "userAgent") is null || !IsObject(context, "page")
            || String(context.GetProperty("page"), "url") is null))
        {
            return Fail("web context", out reason);
        }

        if (libraryName is "analytics-swift" or "analytics-kotlin"
            && (!IsObject(context, "device") || String(context.GetProperty("device"), "id") is null || String(context.GetProperty("device"), "type") is null))
        {
            return Fail("app context", out reason);
        }

        return LineVerdict.Valid;
    }

    public static string? String(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool IsObject(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object;

    private static LineVerdict Fail(string why, out string reason)
    {
        reason = why;
        return LineVerdict.Violation;
    }
}
