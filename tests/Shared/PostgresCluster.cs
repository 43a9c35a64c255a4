using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Samlet.Tests.Shared;

/// <summary>
/// A throwaway PostgreSQL cluster in a temporary folder on a free loopback port, made by the repository's
/// <c>scripts/pg-up.sh</c> (copied next to the test assembly). The script leaves a watchdog that deletes the cluster
/// when this process ends, however it ends; <see cref="Dispose"/> does it at once.
/// </summary>
internal sealed class PostgresCluster : IDisposable
{
    private readonly Dictionary<string, string> _environment;

    private PostgresCluster(Dictionary<string, string> environment, string connectionString)
    {
        _environment = environment;
        ConnectionString = connectionString;
    }

    /// <summary>Connects as the superuser to the <c>postgres</c> database.</summary>
    public string ConnectionString { get; }

    public static async Task<PostgresCluster> StartAsync()
    {
        var environment = new Dictionary<string, string>
        {
            ["PGPORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PGROOT"] = Path.Combine(Path.GetTempPath(), "samlet-pg-" + Guid.NewGuid().ToString("N")[..12]),
            ["PG_WATCH_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var output = await RunAsync("pg-up.sh", [], environment);
        return new PostgresCluster(environment, output.Trim());
    }

    /// <summary>Stops the server (fast shutdown), keeping its data.</summary>
    public Task StopAsync() => RunAsync("pg-ctl.sh", ["stop"], _environment);

    /// <summary>Starts the stopped server again on the same port and data.</summary>
    public Task StartAgainAsync() => RunAsync("pg-ctl.sh", ["start"], _environment);

    public void Dispose()
    {
        using var process = Process.Start(StartInfo("pg-down.sh", [], _environment))!;
        process.WaitForExit(60_000);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> RunAsync(string script, string[] arguments, Dictionary<string, string> environment)
    {
        using var process = Process.Start(StartInfo(script, arguments, environment))!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/{script} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}");
        }

        return await output;
    }

    private static ProcessStartInfo StartInfo(string script, string[] arguments, Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "scripts", script));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }
}
