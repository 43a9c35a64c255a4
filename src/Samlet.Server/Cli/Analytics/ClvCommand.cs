using System.CommandLine;
using Samlet.Analytics.Lifetime;

namespace Samlet.Server.Cli.Analytics;

/// <summary><c>samlet analytics clv</c>: repeat-purchase and spend models fitted to a transaction file, and a prediction per customer.</summary>
internal static class ClvCommand
{
    public static Command Create()
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
        var columns = new TransactionColumnOptions();

        var command = new Command("clv", "Fit BG/NBD or Pareto/NBD and Gamma-Gamma, and predict purchases, activity and lifetime value per customer.")
        {
            transactions, calibrationEnd, holdoutEnd, model, horizon, unit, discount, format, columns.Customer, columns.Date, columns.Amount,
        };
        command.Action = new InputCheckedAction((result, output) =>
        {
            var timeUnit = result.GetValue(unit) == "days" ? TimeUnit.Days : TimeUnit.Weeks;
            var settings = new ClvSettings(
                result.GetValue(transactions)!,
                columns.ValueIn(result, amountRequired: false),
                CliParsing.Date(result.GetValue(calibrationEnd)!, "--calibration-end"),
                result.GetValue(holdoutEnd) is { } end ? CliParsing.Date(end, "--holdout-end") : null,
                result.GetValue(model)!,
                timeUnit,
                result.GetResult(horizon) is null ? (timeUnit == TimeUnit.Weeks ? 52 : 365) : result.GetValue(horizon),
                result.GetValue(discount));
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

            ClvReportWriter.Write(ClvReport.Build(settings), format.ValueIn(result), output);
        });
        return command;
    }
}
