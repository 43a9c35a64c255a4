using System.Globalization;
using Spectre.Console;

namespace Samlet.Server.Cli;

/// <summary>Text conventions shared by commands that print tables, CSV and JSON.</summary>
internal static class CliText
{
    /// <summary>Round-trippable invariant number; "Inf" for +∞ as R writes it.</summary>
    public static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A number rounded for people.</summary>
    public static string Rounded(double value, int decimals) =>
        double.IsPositiveInfinity(value) ? "∞" : value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>An RFC 4180 field: quoted when it holds a comma, quote, or line break.</summary>
    public static string CsvField(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;

    /// <summary>A Spectre console that writes plain text (no colours, no control codes) to <paramref name="writer"/>.</summary>
    public static IAnsiConsole Console(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = Math.Max(console.Profile.Width, 120);
        return console;
    }
}
