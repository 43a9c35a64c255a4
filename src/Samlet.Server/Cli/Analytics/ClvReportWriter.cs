using System.Text.Json;
using Samlet.Analytics.Lifetime;
using Spectre.Console;

namespace Samlet.Server.Cli.Analytics;

/// <summary>Writes a <see cref="ClvReport"/> as JSON (everything), CSV (one row per customer) or tables (a summary).</summary>
internal static class ClvReportWriter
{
    private const int TableRows = 20;
    private const int MinimumTableWidth = 160;

    public static void Write(ClvReport report, OutputFormat format, TextWriter output)
    {
        switch (format)
        {
            case OutputFormat.Json:
                WriteJson(report, output);
                break;
            case OutputFormat.Csv:
                WriteCsv(report, output);
                break;
            default:
                WriteTables(report, output);
                break;
        }
    }

    private static void WriteJson(ClvReport report, TextWriter output)
    {
        var settings = report.Settings;
        using var writer = new ChunkedJsonWriter(output);
        var json = writer.Json;
        json.WriteStartObject();
        json.WriteString("model", settings.Model);
        json.WriteString("timeUnit", settings.Unit == TimeUnit.Weeks ? "weeks" : "days");
        json.WriteString("calibrationEnd", ReportText.Date(settings.CalibrationEnd));
        json.WriteNumber("horizon", settings.Horizon);
        json.WriteNumber("discountRate", settings.DiscountRate);
        json.WriteNumber("customerCount", report.Customers.Count);
        json.WriteNumber("customersBornAfterCalibration", report.CustomersBornAfterCalibration);
        WriteEstimates(json, "parameters", report.Parameters, e => e.Value);
        WriteEstimates(json, "standardErrors", report.Parameters, e => e.StandardError);
        json.WriteNumber("logLikelihood", report.LogLikelihood);
        if (report.Spend is { } spend)
        {
            json.WriteStartObject("spend");
            foreach (var estimate in spend.Parameters)
            {
                json.WriteNumber(estimate.Name, estimate.Value);
            }

            json.WriteNumber("logLikelihood", spend.LogLikelihood);
            json.WriteNumber("customers", spend.Customers);
            WriteEstimates(json, "standardErrors", spend.Parameters, e => e.StandardError);
            json.WriteEndObject();
        }

        if (report.Holdout is { } holdout)
        {
            json.WriteStartObject("holdout");
            json.WriteString("end", ReportText.Date(settings.HoldoutEnd!.Value));
            json.WriteNumber("length", holdout.Length);
            json.WriteNumber("actualRepeatPurchases", holdout.Actual);
            json.WriteNumber("predictedRepeatPurchases", holdout.Predicted);
            json.WriteEndObject();
        }

        json.WriteStartArray("customers");
        foreach (var c in report.Customers)
        {
            writer.DrainWhenFull();
            json.WriteStartObject();
            json.WriteString("id", c.CustomerId);
            json.WriteNumber("frequency", c.Frequency);
            json.WriteNumber("recency", c.Recency);
            json.WriteNumber("T", c.Age);
            WriteNullable(json, "monetary", c.MeanRepeatSpend);
            json.WriteNumber("expectedPurchases", c.ExpectedPurchases);
            json.WriteNumber("pAlive", c.ProbabilityAlive);
            WriteNullable(json, "expectedSpend", c.ExpectedSpend);
            WriteNullable(json, "clv", c.Clv);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();

        writer.Complete();
    }

    private static void WriteEstimates(Utf8JsonWriter json, string name, IReadOnlyList<ParameterEstimate> estimates, Func<ParameterEstimate, double?> value)
    {
        json.WriteStartObject(name);
        foreach (var estimate in estimates)
        {
            WriteNullable(json, estimate.Name, value(estimate));
        }

        json.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteCsv(ClvReport report, TextWriter output)
    {
        output.WriteLine("id,frequency,recency,T,monetary,expected_purchases,p_alive,expected_spend,clv");
        foreach (var c in report.Customers)
        {
            output.WriteLine(string.Join(',', ReportText.CsvField(c.CustomerId), Cell(c.Frequency), Cell(c.Recency), Cell(c.Age), Cell(c.MeanRepeatSpend),
                Cell(c.ExpectedPurchases), Cell(c.ProbabilityAlive), Cell(c.ExpectedSpend), Cell(c.Clv)));
        }
    }

    private static void WriteTables(ClvReport report, TextWriter output)
    {
        var console = ReportText.PlainConsole(output, MinimumTableWidth);
        var settings = report.Settings;
        var parameters = new Table().AddColumns("model", "parameter", "estimate", "standard error");
        foreach (var e in report.Parameters)
        {
            parameters.AddTextRow(settings.Model, e.Name, Cell(e.Value), Cell(e.StandardError));
        }

        foreach (var e in report.Spend?.Parameters ?? [])
        {
            parameters.AddTextRow("gamma-gamma", e.Name, Cell(e.Value), Cell(e.StandardError));
        }

        console.Write(parameters);
        console.WriteLine($"log-likelihood {Cell(report.LogLikelihood)}; {report.Customers.Count} customers; times in {settings.Unit.ToString().ToLowerInvariant()}");
        if (report.Holdout is { } holdout)
        {
            console.WriteLine($"holdout of {Cell(holdout.Length)}: {holdout.Actual} repeat purchases, {Cell(holdout.Predicted)} predicted");
        }

        var ranked = report.Customers
            .OrderByDescending(c => c.Clv ?? c.ExpectedPurchases)
            .Take(TableRows);
        var customers = new Table().AddColumns("id", "x", "t_x", "T", "expected purchases", "p(alive)", "expected spend", "CLV");
        foreach (var c in ranked)
        {
            customers.AddTextRow(c.CustomerId, Cell(c.Frequency), Cell(c.Recency), Cell(c.Age), Cell(c.ExpectedPurchases),
                Cell(c.ProbabilityAlive), Cell(c.ExpectedSpend), Cell(c.Clv));
        }

        console.WriteLine($"top {TableRows} customers over a horizon of {Cell(settings.Horizon)}:");
        console.Write(customers);
    }

    private static string Cell(double? value) => ReportText.SixDecimalsOrBlank(value);
}
