using System.CommandLine;

namespace Samlet.Server.Cli.Analytics;

/// <summary>
/// The <c>--format</c> option of the analytics commands. It takes the lowercase names as documented (json, csv,
/// table) and shows them, default included, in lowercase in <c>--help</c>; an enum option would print and accept the
/// enum's member names.
/// </summary>
internal sealed class OutputFormatOption : Option<string>
{
    public OutputFormatOption(OutputFormat defaultFormat)
        : base("--format")
    {
        Description = "Output format.";
        DefaultValueFactory = _ => defaultFormat.ToString().ToLowerInvariant();
        AcceptOnlyFromAmong("json", "csv", "table");
    }

    public OutputFormat ValueIn(ParseResult result) => Enum.Parse<OutputFormat>(result.GetValue(this)!, ignoreCase: true);
}
