using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Samlet.Analytics.Lifetime;
using Samlet.Analytics.Transactions;

namespace Samlet.Server.Cli;

/// <summary>
/// Runs a command and reports bad input as exit code 2 with one line per problem on standard error, the Unix
/// convention for usage errors: parse errors (a missing or malformed option, an unknown argument), requests that
/// cannot be met (<see cref="UsageException"/>), unreadable or malformed files, and data the models cannot fit.
/// Standard output receives the result only. Both are the invocation's writers, so tests can capture them with
/// <see cref="InvocationConfiguration"/>. Synchronous: the analyses are CPU-bound, and both Invoke and InvokeAsync
/// can run it.
/// </summary>
internal sealed class InputCheckedAction(Action<ParseResult, TextWriter> run) : SynchronousCommandLineAction
{
    public const int BadInput = 2;

    // Keeps the parse errors away from the default handler (exit code 1) so that this action reports them.
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
                error.WriteLine($"error: unrecognised argument '{token}'.");
            }

            error.WriteLine($"Run '{CommandPath(parseResult)} --help' for usage.");
            return BadInput;
        }

        try
        {
            run(parseResult, parseResult.InvocationConfiguration.Output);
            return 0;
        }
        catch (Exception e) when (IsBadInput(e))
        {
            error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
    }

    /// <summary>What the user can fix: the command line, the file, or the data. Anything else is a bug and keeps its stack trace.</summary>
    private static bool IsBadInput(Exception e) =>
        e is UsageException or TransactionFormatException or ModelFitException
            or FormatException or ArgumentException or IOException or UnauthorizedAccessException;

    /// <summary>"samlet analytics basket": the names from the root to the invoked command.</summary>
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
