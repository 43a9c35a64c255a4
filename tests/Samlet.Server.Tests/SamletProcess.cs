using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Samlet.Server.Tests;

/// <summary>The real <c>samlet</c> executable in its own process, so a test can kill -9 it and start it again.</summary>
public sealed class SamletProcess : IAsyncDisposable
{
    private readonly Process _process;

    private SamletProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static Task<SamletProcess> StartAsync(string dataDirectory, string writeKey, string adminKey, params string[] extraArguments) =>
        StartAsync(dataDirectory, writeKey, adminKey, new Dictionary<string, string>(), extraArguments);

    /// <summary>Starts the server with extra environment variables (e.g. <c>SAMLET__Pipeline__BatchSize</c>).</summary>
    public static async Task<SamletProcess> StartAsync(string dataDirectory, string writeKey, string adminKey, IReadOnlyDictionary<string, string> environment, params string[] extraArguments)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "samlet.dll"), "serve", "--data", dataDirectory, "--urls", $"http://127.0.0.1:{port}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["SAMLET_WRITE_KEY"] = writeKey, ["SAMLET_ADMIN_KEY"] = adminKey, ["Logging__LogLevel__Default"] = "Warning" },
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        foreach (var argument in extraArguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new SamletProcess(process, new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await server.WaitUntilReadyAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as a service manager stops it: returns the exit code once the process has shut down.</summary>
    public async Task<int> StopAsync()
    {
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    private async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"samlet exited with code {_process.ExitCode} before it was ready.");
            }

            try
            {
                if ((await client.GetAsync("/readyz", timeout.Token)).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !timeout.IsCancellationRequested))
            {
                // Not listening yet, or too busy starting to answer within the client's timeout.
            }

            using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
            await tick.WaitForNextTickAsync(timeout.Token);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }
}
