namespace Samlet.Analytics;

/// <summary>What <see cref="CsvLine.Split"/> found wrong with a line; each reader words it in its own error.</summary>
internal enum CsvLineProblem
{
    None,
    UnclosedQuote,
    TextAfterQuote,
}
