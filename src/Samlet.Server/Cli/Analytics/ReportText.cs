using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Samlet.Server.Cli.Analytics;

/// <summary>How the analytics reports write numbers, dates, CSV fields and tables.</summary>
internal static class ReportText
{
    /// <summary>Round-trippable invariant number, for files that other tools read; "Inf" for +∞ as R writes it.</summary>
    public static string RoundTrip(double value) =>
        double.IsPositiveInfinity(value) ? "Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A number rounded to a fixed number of decimals for people; "∞" for +∞.</summary>
    public static string Rounded(double value, int decimals) =>
        double.IsPositiveInfinity(value) ? "∞" : value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>At most six decimals, trailing zeros dropped: 52, 0.5, 1242.798398.</summary>
    public static string SixDecimals(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary><see cref="SixDecimals"/>, or an empty field where there is no finite value.</summary>
    public static string SixDecimalsOrBlank(double? value) => value is { } v && double.IsFinite(v) ? SixDecimals(v) : "";

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>An RFC 4180 field: quoted when it holds a comma, a quote or a line break.</summary>
    public static string CsvField(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <summary>Adds a row of plain text cells (no markup, so brackets in ids and labels print as they are).</summary>
    public static void AddTextRow(this Table table, params string[] cells) =>
        table.AddRow(Array.ConvertAll(cells, c => (IRenderable)new Text(c)));

    /// <summary>
    /// A Spectre console that writes plain text (no colours, no control codes) to <paramref name="output"/>, so that
    /// tables can be captured and piped; at least <paramref name="minimumWidth"/> columns wide, since a redirected
    /// output would otherwise wrap tables at 80.
    /// </summary>
    public static IAnsiConsole PlainConsole(TextWriter output, int minimumWidth)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = Math.Max(console.Profile.Width, minimumWidth);
        return console;
    }
}
