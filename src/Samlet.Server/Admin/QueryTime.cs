using System.Globalization;

namespace Samlet.Server.Admin;

/// <summary>Times in query strings of the read APIs: ISO 8601, UTC unless an offset is given; empty means absent.</summary>
internal static class QueryTime
{
    public static bool TryParse(string? text, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            value = parsed.ToUniversalTime();
            return true;
        }

        return false;
    }
}
