using System.CommandLine;
using System.Diagnostics;
using Samlet.Server.Cli;

namespace Samlet.Server.Tests.Cli;

/// <summary>Runs the real <c>samlet</c> command tree in-process with captured standard output and error, or as a process.</summary>
internal static class SamletCli
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await SamletCommand.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }

    /// <summary>The real executable in a process of its own, for what in-process runs would share: standard input, the environment.</summary>
    public static ProcessStartInfo Process(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "samlet.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }
}
