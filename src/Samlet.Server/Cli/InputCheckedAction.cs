using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace Samlet.Server.Cli;

/// <summary>
/// Runs a command and reports bad input as exit code 2 with a message on stderr, the Unix convention for usage
/// errors: parse errors (a missing or malformed option, an unknown argument) and the input exceptions the command
/// raises (unreadable or malformed file, value out of range). Output goes to the invocation's writers, so tests can
/// capture it with <see cref="InvocationConfiguration"/>.
/// </summary>
internal sealed class InputCheckedAction(Func<ParseResult, TextWriter, CancellationToken, Task> run) : AsynchronousCommandLineAction
{
    public const int BadInput = 2;

    // Keeps the parse errors away from the default handler (exit code 1) so that this action reports them.
    public override bool ClearsParseErrors => true;

    public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
    {
        var error = parseResult.InvocationConfiguration.Error;
        if (parseResult.Errors.Count > 0 || parseResult.UnmatchedTokens.Count > 0)
        {
            foreach (var parseError in parseResult.Errors)
            {
                await error.WriteLineAsync($"error: {parseError.Message}");
            }

            foreach (var token in parseResult.UnmatchedTokens)
            {
                await error.WriteLineAsync($"error: unrecognised argument '{token}'.");
            }

            await error.WriteLineAsync($"Run '{CommandPath(parseResult)} --help' for usage.");
            return BadInput;
        }

        try
        {
            await run(parseResult, parseResult.InvocationConfiguration.Output, cancellationToken);
            return 0;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return BadInput;
        }
    }

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
