namespace Samlet.Server.Tests.Sdk;

/// <summary>What a Node script of <c>tests/sdk-clients</c> did: its exit code, output and wall time.</summary>
internal sealed record NodeRun(int ExitCode, string Output, string Errors, TimeSpan Elapsed)
{
    public string Describe(string script) => $"node {script} exited {ExitCode} after {Elapsed.TotalMilliseconds:F0} ms\n--- stdout\n{Output}--- stderr\n{Errors}";
}
