using System.CommandLine;
using Samlet.Analytics.Attribution;

namespace Samlet.Server.Cli.Analytics;

/// <summary><c>samlet analytics attribution</c>: every attribution model over a file of conversion paths.</summary>
internal static class AttributionCommand
{
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
            AttributionReportWriter.Write(AttributionAnalysis.Run(ConversionPathCsv.Read(file), options), options, format.ValueIn(parse), output);
        });
        return command;
    }
}
