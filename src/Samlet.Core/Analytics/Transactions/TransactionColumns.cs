namespace Samlet.Analytics.Transactions;

/// <summary>
/// Header names of the columns to read. When <see cref="AmountRequired"/> is false and the header has no
/// <see cref="Amount"/> column, the file is read without amounts.
/// </summary>
public sealed record TransactionColumns(
    string Customer = "customer_id",
    string Date = "date",
    string Amount = "amount",
    bool AmountRequired = false);
