using System.Net.Http.Headers;
using System.Text.Json;

namespace Samlet.Server.Tests.Cli;

public sealed class ServeDemoTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "samlet-demo-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Serve_with_demo_fills_a_fresh_store_with_the_past_year_and_logs_the_bad_data()
    {
        await using var server = await SamletProcess.StartAsync(_data, "wk_demo", "sk_demo", "--demo", "--demo-customers", "40");
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk_demo");

        // The server listens while the demo loads: wait until a page of events and rejections is there.
        JsonElement events, rejected;
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        do
        {
            await tick.WaitForNextTickAsync(timeout.Token);
            events = JsonDocument.Parse(await http.GetStringAsync("/api/events?limit=500", timeout.Token)).RootElement.GetProperty("events");
            rejected = JsonDocument.Parse(await http.GetStringAsync("/api/events/rejected?limit=500", timeout.Token)).RootElement.GetProperty("rejected");
        }
        while (events.GetArrayLength() < 500 || rejected.GetArrayLength() == 0);

        var newest = events[0].GetProperty("timestamp").GetDateTimeOffset();
        var now = TimeProvider.System.GetUtcNow();
        Assert.InRange(newest, now.AddDays(-3), now.AddMinutes(1));
        Assert.Contains(events.EnumerateArray(), e => e.GetProperty("event").GetString() == "Order Completed" || e.GetProperty("type").GetString() == "identify");

        // The demo starts with example computed traits and audiences, kept by the pipeline as the events load.
        var audiences = JsonDocument.Parse(await http.GetStringAsync("/api/audiences", timeout.Token)).RootElement;
        Assert.Equal(["big_spenders", "lapsed_customers", "repeat_buyers", "window_shoppers"], audiences.EnumerateArray().Select(a => a.GetProperty("key").GetString()).Order(StringComparer.Ordinal));
        var traits = JsonDocument.Parse(await http.GetStringAsync("/api/computed-traits", timeout.Token)).RootElement;
        Assert.Equal(3, traits.GetArrayLength());
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
