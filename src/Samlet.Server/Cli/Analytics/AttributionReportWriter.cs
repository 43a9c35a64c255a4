using Samlet.Analytics;
using Samlet.Analytics.Attribution;
using Spectre.Console;

namespace Samlet.Server.Cli.Analytics;

/// <summary>Writes an <see cref="AttributionReport"/> as JSON (everything), CSV (one row per channel) or tables.</summary>
internal static class AttributionReportWriter
{
    private static readonly AttributionModel[] _models = Enum.GetValues<AttributionModel>();

    private const int MinimumTableWidth = 120;

    public static void Write(AttributionReport report, AttributionOptions options, OutputFormat format, TextWriter output)
    {
        switch (format)
        {
            case OutputFormat.Json:
                WriteJson(report, options, output);
                break;
            case OutputFormat.Csv:
                WriteCsv(report, output);
                break;
            default:
                WriteTables(report, output);
                break;
        }
    }

    private static void WriteJson(AttributionReport report, AttributionOptions options, TextWriter output)
    {
        using var writer = new ChunkedJsonWriter(output);
        var json = writer.Json;
        json.WriteStartObject();
        AnalyticsJson.WriteAttribution(json, report);
        json.WriteNumber("halfLifeInTouches", options.HalfLifeInTouches);
        json.WriteEndObject();

        writer.Complete();
    }

    /// <summary>One row per channel; per model a conversions and a value column, then the Markov removal effects.</summary>
    private static void WriteCsv(AttributionReport report, TextWriter output)
    {
        var header = new List<string> { "channel" };
        foreach (var model in _models)
        {
            var name = AttributionAnalysis.Name(model);
            header.Add($"{name}_conversions");
            header.Add($"{name}_conversion_value");
        }

        header.Add("markov_removal_effect");
        header.Add("markov_value_removal_effect");
        output.WriteLine(string.Join(',', header));
        for (var i = 0; i < report.Channels.Count; i++)
        {
            var row = new List<string> { ReportText.CsvField(report.Channels[i]) };
            foreach (var model in _models)
            {
                row.Add(ReportText.RoundTrip(report.Credits[model][i].Conversions));
                row.Add(ReportText.RoundTrip(report.Credits[model][i].ConversionValue));
            }

            row.Add(ReportText.RoundTrip(report.Markov.Channels[i].RemovalEffect));
            row.Add(ReportText.RoundTrip(report.Markov.Channels[i].ValueRemovalEffect));
            output.WriteLine(string.Join(',', row));
        }
    }

    private static void WriteTables(AttributionReport report, TextWriter output)
    {
        var console = ReportText.PlainConsole(output, MinimumTableWidth);
        console.WriteLine(
            $"{report.PathCount} paths: {ReportText.Rounded(report.TotalConversions, 2)} conversions worth {ReportText.Rounded(report.TotalConversionValue, 2)}, "
            + $"{ReportText.Rounded(report.TotalNulls, 2)} journeys without conversion.");
        console.WriteLine($"Markov chain: conversion probability {ReportText.Rounded(report.Markov.ConversionProbability, 4)}.");
        console.Write(Table(report, "conversions", credit => credit.Conversions, withRemovalEffect: true));
        console.Write(Table(report, "conversion value", credit => credit.ConversionValue, withRemovalEffect: false));
    }

    private static Table Table(AttributionReport report, string title, Func<ChannelCredit, double> measure, bool withRemovalEffect)
    {
        var table = new Table { Title = new TableTitle(title) };
        table.AddColumn("channel");
        foreach (var model in _models)
        {
            table.AddColumn(new TableColumn(AttributionAnalysis.Name(model)).RightAligned());
        }

        if (withRemovalEffect)
        {
            table.AddColumn(new TableColumn("removal_effect").RightAligned());
        }

        for (var i = 0; i < report.Channels.Count; i++)
        {
            var cells = new List<string> { report.Channels[i] };
            cells.AddRange(_models.Select(model => ReportText.Rounded(measure(report.Credits[model][i]), 2)));
            if (withRemovalEffect)
            {
                cells.Add(ReportText.Rounded(report.Markov.Channels[i].RemovalEffect, 4));
            }

            table.AddTextRow([.. cells]);
        }

        return table;
    }
}
