using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Data.Common;

namespace Samlet.Server.Cli;

/// <summary>
/// Runs a command that works on a store, with the exit codes of <see cref="InputCheckedAction"/>: 2 and one line per
/// problem on standard error for bad usage (parse errors, <see cref="UsageException"/>); 1 when the store is missing,
/// unreachable or fails (<see cref="StoreUnavailableException"/>, database errors); otherwise what the command returns
/// (1 for "not found"). Asynchronous, since stores are.
/// </summary>
internal sealed class StoreCheckedAction(Func<ParseResult, CancellationToken, Task<int>> run) : AsynchronousCommandLineAction
{
    public const int Failed = 1;

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
            return InputCheckedAction.BadInput;
        }

        try
        {
            return await run(parseResult, cancellationToken);
        }
        catch (Exception e) when (e is UsageException or ArgumentException or FormatException)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return InputCheckedAction.BadInput;
        }
        catch (StoreUnavailableException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return Failed;
        }
        catch (Exception e) when (e is DbException or NotSupportedException or TimeoutException)
        {
            await error.WriteLineAsync($"error: the store failed: {e.Message}");
            return Failed;
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
