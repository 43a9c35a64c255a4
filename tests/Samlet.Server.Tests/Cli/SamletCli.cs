using System.CommandLine;
using Samlet.Server.Cli;

namespace Samlet.Server.Tests.Cli;

/// <summary>Runs the real <c>samlet</c> command tree in-process with captured standard output and error.</summary>
internal static class SamletCli
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await SamletCommand.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
