using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Samlet.Server.Hosting;

namespace Samlet.Server.Tests;

/// <summary>A real Samlet server on a free loopback port with a fresh data directory, and clients for it.</summary>
public sealed class SamletServer : IAsyncLifetime
{
    public const string WriteKey = "wk_test_write_key";
    public const string AdminKey = "sk_test_admin_key";
    private readonly Dictionary<string, string?> _configuration;
    private WebApplication? _app;
    private string? _database;

    public SamletServer()
        : this([])
    {
    }

    public SamletServer(Dictionary<string, string?> configuration) => _configuration = configuration;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "samlet-server-test-" + Guid.NewGuid().ToString("N"));

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A client without credentials.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>A client that sends the admin API key.</summary>
    public HttpClient Admin { get; private set; } = null!;

    /// <summary>The running server's services (its meter factory, for one).</summary>
    public IServiceProvider Services => _app!.Services;

    /// <summary>The running server's store (to look behind the APIs).</summary>
    public Samlet.Storage.ICdpStore Store => _app!.Services.GetRequiredService<Samlet.Storage.ICdpStore>();

    /// <summary>
    /// Whether servers without a store of their own run on PostgreSQL (a fresh database each, dropped afterwards):
    /// <c>SAMLET_TEST_SERVER_STORE=postgres</c>, set by scripts/test.sh for its second pass over the server tests.
    /// </summary>
    public static bool OnPostgres => Environment.GetEnvironmentVariable("SAMLET_TEST_SERVER_STORE") == "postgres";

    /// <summary>The CLI's options for this server's store: <c>--data DIR</c>, or <c>--store postgres --connection …</c>.</summary>
    public string[] StoreArguments => _configuration.TryGetValue("Store:Kind", out var kind) && kind == "postgres"
        ? ["--store", "postgres", "--connection", _configuration["Store:Connection"]!]
        : ["--data", DataDirectory];

    public async Task InitializeAsync()
    {
        if (OnPostgres && !_configuration.ContainsKey("Store:Kind"))
        {
            _database = await Samlet.Tests.Shared.PostgresTestServer.CreateDatabaseAsync();
            _configuration["Store:Kind"] = "postgres";
            _configuration["Store:Connection"] = _database;
        }

        var settings = new ServeSettings(DataDirectory, "http://127.0.0.1:0", InitialWriteKey: WriteKey, InitialAdminKey: AdminKey, Configuration: _configuration);
        (_app, _) = await SamletApp.BuildAsync(settings);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        Client = new HttpClient { BaseAddress = BaseAddress };
        Admin = new HttpClient { BaseAddress = BaseAddress };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        Admin?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }

        if (_database is not null)
        {
            await Samlet.Tests.Shared.PostgresTestServer.DropDatabaseAsync(_database);
        }
    }

    public static AuthenticationHeaderValue Basic(string writeKey) => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));

    /// <summary>POSTs a JSON body with the write key as Basic auth.</summary>
    public Task<HttpResponseMessage> PostAsync(string path, string json, string? writeKey = WriteKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (writeKey is not null)
        {
            request.Headers.Authorization = Basic(writeKey);
        }

        return Client.SendAsync(request);
    }

    /// <summary>The stored events, newest first (up to 500).</summary>
    public async Task<List<JsonElement>> EventsAsync(string query = "")
    {
        using var response = await Admin.GetAsync("/api/events?limit=500" + query);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. document.RootElement.GetProperty("events").EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>
    /// Waits until the pipeline has applied every event in the log (<c>/readyz</c> reports none behind), polling on a
    /// <see cref="PeriodicTimer"/>; fails after <paramref name="timeout"/> (default 15 s).
    /// </summary>
    public async Task WaitForPipelineAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        long behind;
        do
        {
            using var response = await Client.GetAsync("/readyz", deadline.Token);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(deadline.Token));
            behind = document.RootElement.GetProperty("pipeline").GetProperty("eventsBehind").GetInt64();
        }
        while (behind > 0 && await timer.WaitForNextTickAsync(deadline.Token));
    }

    public async Task<List<JsonElement>> RejectedAsync()
    {
        using var response = await Admin.GetAsync("/api/events/rejected?limit=500");
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. document.RootElement.GetProperty("rejected").EnumerateArray().Select(e => e.Clone())];
    }
}
