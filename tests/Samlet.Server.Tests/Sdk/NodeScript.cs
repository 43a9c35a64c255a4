using System.ComponentModel;
using System.Diagnostics;

namespace Samlet.Server.Tests.Sdk;

/// <summary>
/// Runs a script of <c>tests/sdk-clients</c> (the real SDKs from npm) with <c>node</c>. A missing Node.js or missing
/// <c>node_modules</c> fails the test with the command that fixes it: these tests never skip silently.
/// </summary>
internal static class NodeScript
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(120);

    public static string ClientsDirectory { get; } = Path.Combine(RepositoryRoot(), "tests", "sdk-clients");

    public static async Task<NodeRun> RunAsync(string script, params string[] arguments)
    {
        if (!Directory.Exists(Path.Combine(ClientsDirectory, "node_modules")))
        {
            Assert.Fail(Missing($"{ClientsDirectory}/node_modules does not exist"));
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = ClientsDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            Assert.Fail(Missing($"`node` could not be started ({e.Message})"));
            throw;
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(_timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"node {script} did not finish within {_timeout.TotalSeconds} s.\n--- stdout\n{await output}--- stderr\n{await errors}");
            }

            return new NodeRun(process.ExitCode, await output, await errors, clock.Elapsed);
        }
    }

    private static string Missing(string what) =>
        Environment.GetEnvironmentVariable("CI") == "true"
            ? $"The SDK compatibility tests cannot run on CI: {what}. .ci/run must install Node.js 20+ and run `npm ci --prefix tests/sdk-clients`."
            : $"The SDK compatibility tests need Node.js 20+ and the SDK packages: {what}. Run `npm ci --prefix tests/sdk-clients` once.";

    // The folder that holds Samlet.slnx, found from the test assembly's folder (bin/Release/net10.0 inside the repo).
    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Samlet.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} contains Samlet.slnx.");
    }
}
