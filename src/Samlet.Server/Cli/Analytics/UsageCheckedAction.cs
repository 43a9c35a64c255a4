using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Samlet.Analytics.Lifetime;
using Samlet.Analytics.Transactions;

namespace Samlet.Server.Cli.Analytics;

/// <summary>
/// Runs a command and turns bad usage or bad input into one line per problem on standard error and exit code 2:
/// parse errors and unknown arguments (which System.CommandLine alone would answer with exit code 1), unreadable
/// files, and data the models cannot fit. Standard output receives the result only.
/// </summary>
internal sealed class UsageCheckedAction(Func<ParseResult, TextWriter, int> run) : SynchronousCommandLineAction
{
    public const int UsageError = 2;

    // Lets this action see the parse errors instead of System.CommandLine's own error action.
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        var error = parseResult.InvocationConfiguration.Error;
        if (parseResult.Errors.Count > 0 || parseResult.UnmatchedTokens.Count > 0)
        {
            foreach (var parseError in parseResult.Errors)
            {
                error.WriteLine($"error: {parseError.Message}");
            }

            foreach (var token in parseResult.UnmatchedTokens)
            {
                error.WriteLine($"error: unrecognised argument '{token}'");
            }

            error.WriteLine($"usage: see '{CommandPath(parseResult)} --help'");
            return UsageError;
        }

        try
        {
            return run(parseResult, parseResult.InvocationConfiguration.Output);
        }
        catch (Exception e) when (e is UsageException or TransactionFormatException or ModelFitException or ArgumentException)
        {
            error.WriteLine($"error: {e.Message}");
            return UsageError;
        }
    }

    private static string CommandPath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var result = parseResult.CommandResult; result is not null; result = result.Parent as CommandResult)
        {
            names.Insert(0, result.Command.Name);
        }

        return string.Join(' ', names);
    }
}
