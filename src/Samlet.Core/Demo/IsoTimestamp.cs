namespace Samlet.Demo;

/// <summary>Formats Unix milliseconds as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> without allocating.</summary>
internal static class IsoTimestamp
{
    public const int Length = 24;

    public static void Format(long unixMs, Span<byte> dest)
    {
        var time = DateTime.UnixEpoch.AddMilliseconds(unixMs);
        var (year, month, day) = time;
        var msOfDay = (int)(unixMs - (time.Date - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMillisecond);
        Digits(dest, 0, year, 4);
        dest[4] = (byte)'-';
        Digits(dest, 5, month, 2);
        dest[7] = (byte)'-';
        Digits(dest, 8, day, 2);
        dest[10] = (byte)'T';
        Digits(dest, 11, msOfDay / 3_600_000, 2);
        dest[13] = (byte)':';
        Digits(dest, 14, msOfDay / 60_000 % 60, 2);
        dest[16] = (byte)':';
        Digits(dest, 17, msOfDay / 1000 % 60, 2);
        dest[19] = (byte)'.';
        Digits(dest, 20, msOfDay % 1000, 3);
        dest[23] = (byte)'Z';
    }

    private static void Digits(Span<byte> dest, int at, int value, int width)
    {
        for (var i = width - 1; i >= 0; i--)
        {
            dest[at + i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
