using System.Globalization;

namespace Samlet.Audiences;

/// <summary>Rolling windows and durations written <c>Nd</c> (1–3650 days) or <c>Nh</c> (1–87600 hours).</summary>
public static class WindowText
{
    public const string Allowed = "a duration like \"90d\" (1–3650 days) or \"36h\" (1–87600 hours)";

    public static bool TryParse(string? text, out TimeSpan window)
    {
        window = default;
        if (text is null || text.Length < 2 || text.Length > 6)
        {
            return false;
        }

        var digits = text.AsSpan(0, text.Length - 1);
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        if (digits[0] == '0' || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return false;
        }

        switch (text[^1])
        {
            case 'd' when n <= 3650:
                window = TimeSpan.FromDays(n);
                return true;
            case 'h' when n <= 87600:
                window = TimeSpan.FromHours(n);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The shortest <c>Nd</c>/<c>Nh</c> spelling of a window.</summary>
    public static string Format(TimeSpan window) => window.Ticks % TimeSpan.TicksPerDay == 0
        ? (window.Ticks / TimeSpan.TicksPerDay).ToString(CultureInfo.InvariantCulture) + "d"
        : (window.Ticks / TimeSpan.TicksPerHour).ToString(CultureInfo.InvariantCulture) + "h";
}
