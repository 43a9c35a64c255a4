using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Samlet.Server.Hosting;
using Samlet.Storage;

namespace Samlet.Server.Tests.Sdk;

/// <summary>
/// A real Samlet server on a loopback port with its own data directory, for SDKs that run in another process,
/// and the admin API's view of what it stored.
/// </summary>
internal sealed class SdkTestServer : IAsyncDisposable
{
    public const string WriteKey = "wk_test";
    private const string AdminKey = "ak_test";

    private readonly WebApplication _app;
    private readonly string _dataDirectory;
    private readonly HttpClient _http;

    private SdkTestServer(WebApplication app, string dataDirectory, string baseUrl)
    {
        _app = app;
        _dataDirectory = dataDirectory;
        BaseUrl = baseUrl;
        _http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
    }

    /// <summary>Scheme, host and port, without a trailing slash, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; }

    public static async Task<SdkTestServer> StartAsync()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("samlet-sdk-").FullName;
        var settings = new ServeSettings(dataDirectory, "http://127.0.0.1:0", InitialWriteKey: WriteKey, InitialAdminKey: AdminKey);
        var (app, _) = await SamletApp.BuildAsync(settings);
        await app.StartAsync();
        // With port 0, Kestrel reports the port it bound once started.
        return new SdkTestServer(app, dataDirectory, app.Urls.Single().TrimEnd('/'));
    }

    /// <summary>Every accepted event, oldest first, following the read API's cursor.</summary>
    public Task<IReadOnlyList<JsonElement>> ReadEventsAsync() => ReadAllAsync("/api/events", "events");

    /// <summary>Every event the server refused (dead letters), newest first.</summary>
    public Task<IReadOnlyList<JsonElement>> ReadRejectedAsync() => ReadAllAsync("/api/events/rejected", "rejected");

    private async Task<IReadOnlyList<JsonElement>> ReadAllAsync(string path, string arrayName)
    {
        var all = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var url = cursor is null ? $"{path}?limit=500" : $"{path}?limit=500&before={Uri.EscapeDataString(cursor)}";
            using var response = await _http.GetAsync(url);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"GET {url} answered {(int)response.StatusCode}: {text}");
            using var page = JsonDocument.Parse(text);
            all.AddRange(page.RootElement.GetProperty(arrayName).EnumerateArray().Select(e => e.Clone()));
            cursor = page.RootElement.GetProperty("next") is { ValueKind: JsonValueKind.String } next ? next.GetString() : null;
        }
        while (cursor is not null);

        return arrayName == "events"
            ? [.. all.OrderBy(e => e.GetProperty("sequence").GetInt64())]
            : all;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        var store = _app.Services.GetRequiredService<ICdpStore>();
        await _app.StopAsync();
        await _app.DisposeAsync();
        // The store was handed to the container as an instance, so the container does not dispose it.
        await store.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
