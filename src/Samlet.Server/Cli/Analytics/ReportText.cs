using Spectre.Console;

namespace Samlet.Server.Cli.Analytics;

/// <summary>Small output helpers shared by the analytics report writers.</summary>
internal static class ReportText
{
    /// <summary>A CSV field, quoted when it holds a comma, a quote or a line break.</summary>
    public static string CsvField(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <summary>Adds a row of plain text cells (no markup, so brackets in ids and ranges print as they are).</summary>
    public static void AddTextRow(this Table table, params string[] cells) =>
        table.AddRow(Array.ConvertAll(cells, c => (Spectre.Console.Rendering.IRenderable)new Text(c)));

    /// <summary>A plain-text Spectre console over a writer, so that tables can be captured and piped.</summary>
    public static IAnsiConsole PlainConsole(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 160;
        return console;
    }
}
