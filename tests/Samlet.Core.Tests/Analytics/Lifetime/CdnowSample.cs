using System.Globalization;
using Samlet.Analytics.Lifetime;
using Samlet.Analytics.Transactions;

namespace Samlet.Core.Tests.Analytics.Lifetime;

/// <summary>The CDNOW 1-in-10 sample (see Fixtures/README.md), read from its whitespace-separated form.</summary>
internal static class CdnowSample
{
    public static readonly DateOnly CalibrationEnd = new(1997, 9, 30);
    public static readonly DateOnly HoldoutEnd = new(1998, 6, 30);

    private static readonly Lazy<CalibrationSummary> _summary = new(() =>
        CalibrationSummary.FromTransactions(Transactions(), CalibrationEnd, TimeUnit.Weeks, hasAmounts: true, HoldoutEnd));

    /// <summary>The standard split: weeks, calibration to 1997-09-30, holdout to 1998-06-30.</summary>
    public static CalibrationSummary Summary => _summary.Value;

    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "cdnow", "CDNOW_sample.txt");

    /// <summary>One transaction per record, the customer being the sample id (column 2).</summary>
    public static IReadOnlyList<Transaction> Transactions()
    {
        var transactions = new List<Transaction>();
        foreach (var line in File.ReadLines(Path))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }

            var date = DateOnly.ParseExact(fields[2], "yyyyMMdd", CultureInfo.InvariantCulture);
            transactions.Add(new Transaction(fields[1], date, double.Parse(fields[4], CultureInfo.InvariantCulture)));
        }

        return transactions;
    }
}
