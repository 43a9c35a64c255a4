using System.CommandLine;
using Samlet.Analytics.Rfm;
using Samlet.Analytics.Transactions;

namespace Samlet.Server.Cli.Analytics;

/// <summary><c>samlet analytics rfm</c>: recency, frequency and monetary scores and segments from an order file.</summary>
internal static class RfmCommand
{
    public static Command Create()
    {
        var orders = new Option<string>("--orders") { Description = "CSV file of orders with a header line.", Required = true };
        var asOf = new Option<string>("--as-of") { Description = "Analysis date (yyyy-MM-dd or yyyyMMdd); later orders are ignored.", Required = true };
        var format = new OutputFormatOption(OutputFormat.Json);
        var columns = new TransactionColumnOptions();

        var command = new Command("rfm", "Recency, frequency and monetary scores and segments, as in the R package rfm 0.3.0.")
        {
            orders, asOf, format, columns.Customer, columns.Date, columns.Amount,
        };
        command.Action = new InputCheckedAction((result, output) =>
        {
            var analysisDate = CliParsing.Date(result.GetValue(asOf)!, "--as-of");
            var table = TransactionCsvReader.ReadFile(result.GetValue(orders)!, columns.ValueIn(result, amountRequired: true));
            RfmReportWriter.Write(RfmScorer.Score(table.Transactions, analysisDate), format.ValueIn(result), output);
        });
        return command;
    }
}
