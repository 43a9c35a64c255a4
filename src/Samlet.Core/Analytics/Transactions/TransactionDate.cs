using System.Globalization;

namespace Samlet.Analytics.Transactions;

/// <summary>Calendar dates as written in transaction files: <c>yyyy-MM-dd</c> or <c>yyyyMMdd</c>.</summary>
public static class TransactionDate
{
    private static readonly string[] _formats = ["yyyy-MM-dd", "yyyyMMdd"];

    public const string AcceptedFormats = "yyyy-MM-dd or yyyyMMdd";

    public static bool TryParse(ReadOnlySpan<char> text, out DateOnly date) =>
        DateOnly.TryParseExact(text.Trim(), _formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
