using Samlet.Analytics.Baskets;

namespace Samlet.Core.Tests.Analytics.Baskets;

/// <summary>The public basket data sets under Fixtures/ (provenance in Fixtures/README.md).</summary>
internal static class BasketFixtures
{
    private static readonly Lazy<TransactionSet> _groceries = new(() => BasketFile.Read(PathOf("groceries", "groceries.csv")));

    /// <summary>arules' Groceries: 9,835 baskets from a grocery outlet.</summary>
    public static TransactionSet Groceries => _groceries.Value;

    /// <summary>The five baskets of mlxtend's apriori example.</summary>
    public static TransactionSet MlxtendTransactions => BasketFile.Read(PathOf("mlxtend", "transactions.csv"));

    private static string PathOf(string folder, string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", folder, file);
}
