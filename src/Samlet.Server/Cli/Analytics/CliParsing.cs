using Samlet.Analytics.Transactions;

namespace Samlet.Server.Cli.Analytics;

/// <summary>Values of analytics options that System.CommandLine reads as text.</summary>
internal static class CliParsing
{
    public static DateOnly Date(string text, string option) =>
        TransactionDate.TryParse(text, out var date)
            ? date
            : throw new UsageException($"{option}: cannot read '{text}' as a date (expected {TransactionDate.AcceptedFormats})");
}
