using System.CommandLine;
using System.Text.Json;
using Samlet.Analytics.Attribution;
using Samlet.Server.Cli.Analytics;
using Spectre.Console;

namespace Samlet.Server.Cli;

/// <summary><c>samlet analytics attribution</c>: every attribution model over a file of conversion paths.</summary>
internal static class AttributionCommand
{
    private static readonly AttributionModel[] _models = Enum.GetValues<AttributionModel>();

    private const int MinimumTableWidth = 120;

    public static Command Create()
    {
        var paths = new Option<string>("--paths")
        {
            Description = "CSV with columns path (channels joined by ' > '), total_conversions, and optionally total_conversion_value and total_null.",
            Required = true,
        };
        var halfLife = new Option<double>("--half-life")
        {
            Description = "Time-decay half-life in touches: a touch k steps before the last weighs 2^(-k / half-life).",
            DefaultValueFactory = _ => 1.0,
        };
        var format = new OutputFormatOption(OutputFormat.Table);

        var command = new Command("attribution", "Attribute conversions to channels: first touch, last touch, linear, time decay, position based and Markov chain.")
        {
            paths, halfLife, format,
        };
        command.Action = new InputCheckedAction((parse, output) =>
        {
            var halfLifeInTouches = parse.GetValue(halfLife);
            if (!(halfLifeInTouches > 0) || double.IsInfinity(halfLifeInTouches))
            {
                throw new UsageException($"--half-life must be a positive number of touches; got {ReportText.RoundTrip(halfLifeInTouches)}.");
            }

            var file = parse.GetValue(paths)!;
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"The path file '{file}' does not exist.");
            }

            var options = new AttributionOptions { HalfLifeInTouches = halfLifeInTouches };
            var report = AttributionAnalysis.Run(ConversionPathCsv.Read(file), options);
            switch (format.ValueIn(parse))
            {
                case OutputFormat.Json:
                    WriteJson(output, report, options);
                    break;
                case OutputFormat.Csv:
                    WriteCsv(output, report);
                    break;
                default:
                    WriteTables(output, report);
                    break;
            }
        });
        return command;
    }

    private static void WriteJson(TextWriter output, AttributionReport report, AttributionOptions options)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("paths", report.PathCount);
            json.WriteNumber("totalConversions", report.TotalConversions);
            json.WriteNumber("totalConversionValue", report.TotalConversionValue);
            json.WriteNumber("totalNulls", report.TotalNulls);
            json.WriteNumber("halfLifeInTouches", options.HalfLifeInTouches);
            json.WriteStartArray("channels");
            foreach (var channel in report.Channels)
            {
                json.WriteStringValue(channel);
            }

            json.WriteEndArray();
            json.WriteStartObject("models");
            foreach (var model in _models)
            {
                json.WriteStartArray(AttributionAnalysis.Name(model));
                foreach (var credit in report.Credits[model])
                {
                    json.WriteStartObject();
                    json.WriteString("channel", credit.Channel);
                    json.WriteNumber("conversions", credit.Conversions);
                    json.WriteNumber("conversionValue", credit.ConversionValue);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteStartObject("markov");
            json.WriteNumber("conversionProbability", report.Markov.ConversionProbability);
            json.WriteNumber("expectedValue", report.Markov.ExpectedValue);
            json.WriteStartArray("removalEffects");
            foreach (var channel in report.Markov.Channels)
            {
                json.WriteStartObject();
                json.WriteString("channel", channel.Channel);
                json.WriteNumber("removalEffect", channel.RemovalEffect);
                json.WriteNumber("valueRemovalEffect", channel.ValueRemovalEffect);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("transitions");
            foreach (var transition in report.Markov.Transitions)
            {
                json.WriteStartObject();
                json.WriteString("from", transition.From);
                json.WriteString("to", transition.To);
                json.WriteNumber("probability", transition.Probability);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>One row per channel; per model a conversions and a value column, then the Markov removal effects.</summary>
    private static void WriteCsv(TextWriter output, AttributionReport report)
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

    private static void WriteTables(TextWriter output, AttributionReport report)
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
