using System.CommandLine;
using Samlet.Analytics.Transactions;

namespace Samlet.Server.Cli.Analytics;

/// <summary><c>--customer</c>, <c>--date</c> and <c>--amount</c>: the header names of the columns that clv and rfm read.</summary>
internal sealed class TransactionColumnOptions
{
    public Option<string> Customer { get; } = new("--customer") { Description = "Name of the customer id column.", DefaultValueFactory = _ => "customer_id" };

    public Option<string> Date { get; } = new("--date") { Description = "Name of the date column (yyyy-MM-dd or yyyyMMdd).", DefaultValueFactory = _ => "date" };

    public Option<string?> Amount { get; } = new("--amount") { Description = "Name of the amount column (default amount; optional for clv unless given)." };

    public TransactionColumns ValueIn(ParseResult result, bool amountRequired)
    {
        var amount = result.GetValue(Amount);
        // A column named on the command line must exist; the default one is optional for clv.
        return new TransactionColumns(result.GetValue(Customer)!, result.GetValue(Date)!, amount ?? "amount", amountRequired || amount is not null);
    }
}
