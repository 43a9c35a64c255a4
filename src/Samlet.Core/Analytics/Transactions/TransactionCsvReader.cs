using System.Globalization;
using System.Text;

namespace Samlet.Analytics.Transactions;

/// <summary>
/// Reads transactions from comma-separated text with a header line. Fields may be quoted ("a, b" with "" for a quote);
/// blank lines are skipped. Every problem is reported as a <see cref="TransactionFormatException"/> naming the line.
/// </summary>
public static class TransactionCsvReader
{
    public static TransactionTable ReadFile(string path, TransactionColumns columns)
    {
        if (!File.Exists(path))
        {
            throw new TransactionFormatException($"file not found: {path}");
        }

        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Read(reader, columns);
    }

    public static TransactionTable Read(TextReader reader, TransactionColumns columns)
    {
        var header = reader.ReadLine() ?? throw new TransactionFormatException("the file is empty: a header line is expected");
        var names = SplitFields(header, 1);
        var customerIndex = IndexOf(names, columns.Customer)
            ?? throw MissingColumn(columns.Customer, "customer", names);
        var dateIndex = IndexOf(names, columns.Date) ?? throw MissingColumn(columns.Date, "date", names);
        var amountIndex = IndexOf(names, columns.Amount);
        if (amountIndex is null && columns.AmountRequired)
        {
            throw MissingColumn(columns.Amount, "amount", names);
        }

        var needed = Math.Max(customerIndex, Math.Max(dateIndex, amountIndex ?? 0)) + 1;
        var transactions = new List<Transaction>();
        var fields = new List<string>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            SplitFields(line, lineNumber, fields);
            if (fields.Count < needed)
            {
                throw new TransactionFormatException(
                    $"line {lineNumber}: {fields.Count} fields, but the header has column '{names[needed - 1]}' at position {needed}");
            }

            var customer = fields[customerIndex].Trim();
            if (customer.Length == 0)
            {
                throw new TransactionFormatException($"line {lineNumber}: column '{columns.Customer}' is empty");
            }

            if (!TransactionDate.TryParse(fields[dateIndex], out var date))
            {
                throw new TransactionFormatException(
                    $"line {lineNumber}: column '{columns.Date}': cannot read '{fields[dateIndex]}' as a date (expected {TransactionDate.AcceptedFormats})");
            }

            var amount = amountIndex is { } a ? ParseAmount(fields[a], lineNumber, columns.Amount) : 0.0;
            transactions.Add(new Transaction(customer, date, amount));
        }

        return new TransactionTable(transactions, amountIndex is not null);
    }

    private static double ParseAmount(string text, int lineNumber, string column)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            throw new TransactionFormatException($"line {lineNumber}: column '{column}' is missing an amount");
        }

        if (!double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || !double.IsFinite(amount))
        {
            throw new TransactionFormatException($"line {lineNumber}: column '{column}': cannot read '{trimmed}' as a number");
        }

        if (amount < 0)
        {
            // Refunds would make spend models meaningless; they must be netted out before analysis.
            throw new TransactionFormatException(
                $"line {lineNumber}: column '{column}': negative amount {trimmed}; net refunds out of the file before analysis");
        }

        return amount;
    }

    private static int? IndexOf(List<string> names, string wanted)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i].Trim(), wanted, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return null;
    }

    private static TransactionFormatException MissingColumn(string name, string role, List<string> names) =>
        new($"the header has no {role} column '{name}' (columns: {string.Join(", ", names)})");

    private static List<string> SplitFields(string line, int lineNumber)
    {
        var fields = new List<string>();
        SplitFields(line, lineNumber, fields);
        return fields;
    }

    private static void SplitFields(string line, int lineNumber, List<string> fields)
    {
        switch (CsvLine.Split(line, fields, textMayFollowQuote: false))
        {
            case CsvLineProblem.UnclosedQuote:
                throw new TransactionFormatException($"line {lineNumber}: a quoted field is not closed");
            case CsvLineProblem.TextAfterQuote:
                throw new TransactionFormatException($"line {lineNumber}: unexpected text after a quoted field");
        }
    }
}
