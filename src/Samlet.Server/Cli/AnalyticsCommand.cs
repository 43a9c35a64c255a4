using System.CommandLine;
using Samlet.Analytics.Lifetime;
using Samlet.Analytics.Rfm;
using Samlet.Analytics.Transactions;
using Samlet.Server.Cli.Analytics;

namespace Samlet.Server.Cli;

/// <summary>
/// <c>samlet analytics</c>: customer analytics over transaction files. Every sub-command writes its result to standard
/// output and, on bad usage or bad input, a message to standard error with exit code 2.
/// </summary>
internal static class AnalyticsCommand
{
    public static Command Create()
    {
        var command = new Command("analytics", "Customer analytics over transaction files.");
        command.Subcommands.Add(CreateClv());
        command.Subcommands.Add(CreateRfm());
        command.Subcommands.Add(BasketCommand.Create());
        command.Subcommands.Add(AttributionCommand.Create());
        command.Action = new InputCheckedAction((_, _) =>
            throw new UsageException($"choose a sub-command: {string.Join(", ", command.Subcommands.Select(c => c.Name))}"));
        return command;
    }

    private static Command CreateClv()
    {
        var transactions = new Option<string>("--transactions") { Description = "CSV file of transactions with a header line.", Required = true };
        var calibrationEnd = new Option<string>("--calibration-end") { Description = "Last day of the calibration period (yyyy-MM-dd or yyyyMMdd).", Required = true };
        var holdoutEnd = new Option<string?>("--holdout-end") { Description = "Last day of a holdout period to compare predictions with." };
        var model = new Option<string>("--model") { Description = "Repeat-purchase model.", DefaultValueFactory = _ => "bgnbd" };
        model.AcceptOnlyFromAmong("bgnbd", "paretonbd");
        var horizon = new Option<double>("--horizon") { Description = "Prediction horizon in time units (default 52 weeks or 365 days)." };
        var unit = new Option<string>("--time-unit") { Description = "Unit of recency, age and horizon.", DefaultValueFactory = _ => "weeks" };
        unit.AcceptOnlyFromAmong("days", "weeks");
        var discount = new Option<double>("--discount-rate") { Description = "Discount rate per time unit for CLV.", DefaultValueFactory = _ => 0 };
        var format = new OutputFormatOption(OutputFormat.Json);
        var (customer, date, amount) = ColumnOptions();

        var command = new Command("clv", "Fit BG/NBD or Pareto/NBD and Gamma-Gamma, and predict purchases, activity and lifetime value per customer.")
        {
            transactions, calibrationEnd, holdoutEnd, model, horizon, unit, discount, format, customer, date, amount,
        };
        command.Action = new InputCheckedAction((result, output) =>
        {
            var timeUnit = result.GetValue(unit) == "days" ? TimeUnit.Days : TimeUnit.Weeks;
            var settings = new ClvSettings(
                result.GetValue(transactions)!,
                Columns(result, customer, date, amount, amountRequired: false),
                CliParsing.Date(result.GetValue(calibrationEnd)!, "--calibration-end"),
                result.GetValue(holdoutEnd) is { } end ? CliParsing.Date(end, "--holdout-end") : null,
                result.GetValue(model)!,
                timeUnit,
                result.GetResult(horizon) is null ? (timeUnit == TimeUnit.Weeks ? 52 : 365) : result.GetValue(horizon),
                result.GetValue(discount),
                format.ValueIn(result));
            if (settings.HoldoutEnd <= settings.CalibrationEnd)
            {
                throw new UsageException("--holdout-end must come after --calibration-end");
            }

            if (!(settings.Horizon > 0) || !double.IsFinite(settings.Horizon))
            {
                throw new UsageException("--horizon must be a positive number of time units");
            }

            if (!(settings.DiscountRate >= 0) || !double.IsFinite(settings.DiscountRate))
            {
                throw new UsageException("--discount-rate must be zero or positive");
            }

            ClvReportWriter.Write(ClvReport.Build(settings), output);
        });
        return command;
    }

    private static Command CreateRfm()
    {
        var orders = new Option<string>("--orders") { Description = "CSV file of orders with a header line.", Required = true };
        var asOf = new Option<string>("--as-of") { Description = "Analysis date (yyyy-MM-dd or yyyyMMdd); later orders are ignored.", Required = true };
        var format = new OutputFormatOption(OutputFormat.Json);
        var (customer, date, amount) = ColumnOptions();

        var command = new Command("rfm", "Recency, frequency and monetary scores and segments, as in the R package rfm 0.3.0.")
        {
            orders, asOf, format, customer, date, amount,
        };
        command.Action = new InputCheckedAction((result, output) =>
        {
            var analysisDate = CliParsing.Date(result.GetValue(asOf)!, "--as-of");
            var table = TransactionCsvReader.ReadFile(result.GetValue(orders)!, Columns(result, customer, date, amount, amountRequired: true));
            RfmReportWriter.Write(RfmScorer.Score(table.Transactions, analysisDate), format.ValueIn(result), output);
        });
        return command;
    }

    private static (Option<string> Customer, Option<string> Date, Option<string?> Amount) ColumnOptions() =>
    (
        new Option<string>("--customer") { Description = "Name of the customer id column.", DefaultValueFactory = _ => "customer_id" },
        new Option<string>("--date") { Description = "Name of the date column (yyyy-MM-dd or yyyyMMdd).", DefaultValueFactory = _ => "date" },
        new Option<string?>("--amount") { Description = "Name of the amount column (default amount; optional for clv unless given)." }
    );

    private static TransactionColumns Columns(ParseResult result, Option<string> customer, Option<string> date, Option<string?> amount, bool amountRequired)
    {
        var amountColumn = result.GetValue(amount);
        // A column named on the command line must exist; the default one is optional for clv.
        return new TransactionColumns(result.GetValue(customer)!, result.GetValue(date)!, amountColumn ?? "amount", amountRequired || amountColumn is not null);
    }
}
