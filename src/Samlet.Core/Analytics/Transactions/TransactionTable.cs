namespace Samlet.Analytics.Transactions;

/// <summary>The transactions of a file, in file order, and whether the file carried amounts.</summary>
public sealed record TransactionTable(IReadOnlyList<Transaction> Transactions, bool HasAmounts);
