using System.Globalization;
using System.Text.Json;

namespace Samlet.Ingestion;

/// <summary>Reads client times: ISO 8601 straight from the UTF-8 bytes (fast), other formats through the general parser.</summary>
internal static class EventTimes
{
    public static DateTimeOffset? Parse(JsonElement? element) =>
        element is not { } e ? null
        : e.TryGetDateTimeOffset(out var value) ? value.ToUniversalTime()
        : DateTimeOffset.TryParse(e.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed.ToUniversalTime()
        : null;
}
