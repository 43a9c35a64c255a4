using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Samlet.Server.Tests.Tracking;

public sealed class CrashRecoveryTests : IDisposable
{
    private const string WriteKey = "wk_crash_test";
    private const string AdminKey = "sk_crash_test";
    private const int Clients = 4;
    private const int EventsPerBatch = 20;
    private readonly string _data = Path.Combine(Path.GetTempPath(), "samlet-crash-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Keeps_every_acknowledged_event_exactly_once_after_kill_9_and_a_resend()
    {
        var acknowledged = new ConcurrentBag<string>();
        var unanswered = new ConcurrentBag<string>(); // bodies whose answer never came: the SDK would retry them
        var server = await SamletProcess.StartAsync(_data, WriteKey, AdminKey);
        var enoughSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            using var http = Client(server.BaseAddress);
            for (var b = 0; ; b++)
            {
                var ids = Enumerable.Range(0, EventsPerBatch).Select(i => $"c{c}-b{b}-e{i}").ToArray();
                var body = Batch(ids);
                try
                {
                    using var response = await http.PostAsync("/v1/batch", new StringContent(body, Encoding.UTF8, "application/json"));
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    foreach (var id in ids)
                    {
                        acknowledged.Add(id);
                    }

                    if (acknowledged.Count >= 3_000)
                    {
                        enoughSent.TrySetResult();
                    }
                }
                catch (HttpRequestException)
                {
                    unanswered.Add(body);
                    return;
                }
            }
        })).ToArray();

        // Kill while all clients are mid-stream.
        await Task.WhenAny(enoughSent.Task, Task.WhenAll(clients)).Unwrap().WaitAsync(TimeSpan.FromSeconds(120));
        Assert.True(enoughSent.Task.IsCompleted, "the clients stopped before 3,000 events were acknowledged");
        await server.KillAsync();
        await Task.WhenAll(clients);
        await server.DisposeAsync();

        await using var restarted = await SamletProcess.StartAsync(_data, WriteKey, AdminKey);
        using var http = Client(restarted.BaseAddress);
        foreach (var body in unanswered.Concat([Batch(["c0-b0-e0", "c0-b0-e1"])]))
        {
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/v1/batch", new StringContent(body))).StatusCode);
        }

        var stored = await AllMessageIdsAsync(http);
        Assert.Equal(stored.Count, stored.Distinct().Count());
        Assert.Empty(acknowledged.Except(stored));
        var resent = unanswered.SelectMany(b => JsonDocument.Parse(b).RootElement.GetProperty("batch").EnumerateArray().Select(e => e.GetProperty("messageId").GetString()!));
        Assert.Empty(resent.Except(stored));
        Assert.Equal(acknowledged.Count + resent.Count(), stored.Count);
    }

    private static string Batch(IEnumerable<string> ids) =>
        JsonSerializer.Serialize(new { batch = ids.Select(id => new { type = "track", @event = "Crash Test", userId = "u-" + id[..2], messageId = id }) });

    private static HttpClient Client(Uri baseAddress)
    {
        var http = new HttpClient { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(WriteKey + ":")));
        return http;
    }

    private static async Task<List<string>> AllMessageIdsAsync(HttpClient http)
    {
        var ids = new List<string>();
        string? next = null;
        do
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/events?limit=500" + (next is null ? "" : "&before=" + next));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
            using var response = await http.SendAsync(request);
            var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            ids.AddRange(page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("messageId").GetString()!));
            next = page.GetProperty("next").GetString();
        }
        while (next is not null);
        return ids;
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
