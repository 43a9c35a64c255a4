using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Samlet.Audiences;

/// <summary>
/// ISO-8601 date-times as audiences read them: <c>2026-03-01</c>, <c>2026-03-01T10:00Z</c>,
/// <c>2026-03-01T10:00:00.123+02:00</c>; no offset means UTC. Results are in UTC.
/// </summary>
internal static class IsoInstant
{
    public static bool TryParse(string? text, out DateTimeOffset instant)
    {
        instant = default;
        if (text is null || text.Length > 64)
        {
            return false;
        }

        Span<byte> utf8 = stackalloc byte[64 * 3];
        var length = System.Text.Encoding.UTF8.GetBytes(text, utf8);
        return TryParseUtf8(utf8[..length], out instant);
    }

    /// <summary>The instant a JSON value holds, if it is a string in one of the accepted forms.</summary>
    public static bool TryRead(JsonElement? value, out DateTimeOffset instant)
    {
        instant = default;
        if (value is not { ValueKind: JsonValueKind.String } v)
        {
            return false;
        }

        // Evaluation reads many values: parse the raw UTF-8 without allocating; escaped text takes the slow path.
        var raw = JsonMarshal.GetRawUtf8Value(v);
        if (raw.Length >= 2 && raw[0] == '"' && raw[^1] == '"' && !raw.Contains((byte)'\\'))
        {
            return TryParseUtf8(raw[1..^1], out instant);
        }

        return TryParse(v.GetString(), out instant);
    }

    /// <summary>The same forms as <see cref="TryParse"/>, read straight from UTF-8.</summary>
    public static bool TryParseUtf8(ReadOnlySpan<byte> s, out DateTimeOffset instant)
    {
        instant = default;
        if (s.Length < 10 || s[4] != '-' || s[7] != '-'
            || !Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day))
        {
            return false;
        }

        int hour = 0, minute = 0, second = 0;
        long fraction = 0;
        var i = 10;
        var offset = TimeSpan.Zero;
        if (i < s.Length)
        {
            if (s[i] != 'T' || s.Length < i + 6 || s[i + 3] != ':'
                || !Digits(s, i + 1, 2, out hour) || !Digits(s, i + 4, 2, out minute))
            {
                return false;
            }

            i += 6;
            if (i < s.Length && s[i] == ':')
            {
                if (!Digits(s, i + 1, 2, out second))
                {
                    return false;
                }

                i += 3;
                if (i < s.Length && s[i] == '.')
                {
                    var start = ++i;
                    while (i < s.Length && s[i] is >= (byte)'0' and <= (byte)'9')
                    {
                        if (i - start == 7)
                        {
                            return false;
                        }

                        fraction = fraction * 10 + (s[i++] - '0');
                    }

                    if (i == start)
                    {
                        return false;
                    }

                    for (var pad = i - start; pad < 7; pad++)
                    {
                        fraction *= 10;
                    }
                }
            }

            if (i < s.Length)
            {
                if (s[i] == 'Z' && i + 1 == s.Length)
                {
                    i++;
                }
                else if (s[i] is (byte)'+' or (byte)'-' && s.Length == i + 6 && s[i + 3] == ':'
                    && Digits(s, i + 1, 2, out var oh) && Digits(s, i + 4, 2, out var om) && oh <= 14 && om < 60)
                {
                    offset = new TimeSpan(oh, om, 0);
                    if (s[i] == '-')
                    {
                        offset = -offset;
                    }

                    i += 6;
                }
                else
                {
                    return false;
                }
            }
        }

        if (i != s.Length || month is < 1 or > 12 || year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).Ticks + fraction - offset.Ticks;
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        instant = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            if (s[i] is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = value * 10 + (s[i] - '0');
        }

        return true;
    }

    public static string Format(DateTimeOffset instant) => instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
