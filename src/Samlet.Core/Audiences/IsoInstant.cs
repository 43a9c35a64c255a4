using System.Globalization;
using System.Text.Json;

namespace Samlet.Audiences;

/// <summary>
/// ISO-8601 date-times as audiences read them: <c>2026-03-01</c>, <c>2026-03-01T10:00Z</c>,
/// <c>2026-03-01T10:00:00.123+02:00</c>; no offset means UTC. Results are in UTC.
/// </summary>
internal static class IsoInstant
{
    private static readonly string[] _formats = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd"];

    public static bool TryParse(string? text, out DateTimeOffset instant)
    {
        if (text is not null && DateTimeOffset.TryParseExact(
            text, _formats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant))
        {
            return true;
        }

        instant = default;
        return false;
    }

    /// <summary>The instant a JSON value holds, if it is a string in one of the accepted forms.</summary>
    public static bool TryRead(JsonElement? value, out DateTimeOffset instant)
    {
        if (value is { ValueKind: JsonValueKind.String } v)
        {
            return TryParse(v.GetString(), out instant);
        }

        instant = default;
        return false;
    }

    public static string Format(DateTimeOffset instant) => instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
