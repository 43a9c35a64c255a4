using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Samlet.Pipeline;
using Samlet.Storage.Sqlite;

namespace Samlet.Server.Tests.Pipeline;

public sealed class PipelineCrashTests : IDisposable
{
    private const string WriteKey = "wk_pipeline_crash";
    private const string AdminKey = "sk_pipeline_crash";
    private readonly string _data = Path.Combine(Path.GetTempPath(), "samlet-pipeline-crash-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_kill_9_in_the_middle_of_the_pipeline_loses_nothing_and_applies_nothing_twice()
    {
        // Small batches: many commits, so the kill lands between and inside them.
        var environment = new Dictionary<string, string> { ["SAMLET__Pipeline__BatchSize"] = "25" };
        await using var server = await SamletProcess.StartAsync(_data, WriteKey, AdminKey, environment);
        using (var http = Client(server.BaseAddress))
        {
            for (var b = 0; b < 60; b++)
            {
                using var response = await http.PostAsync("/v1/batch", new StringContent(Batch(b), Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                if (b == 59)
                {
                    break;
                }

                // Kill once the pipeline has applied some batches but not all; keep sending until then.
                if (b > 10 && await LagAsync(http) is { Position: > 0, EventsBehind: > 0 })
                {
                    break;
                }
            }
        }

        await server.KillAsync();

        await using (var restarted = await SamletProcess.StartAsync(_data, WriteKey, AdminKey, environment))
        {
            using var http = Client(restarted.BaseAddress);
            await UntilAsync(http, lag => lag.EventsBehind == 0);
        }

        var events = (int)await CountEventsAsync();
        var afterCrash = Dump(out var linked, out var distinct);
        Assert.Equal((events, events), (linked, distinct)); // every event on exactly one profile

        await using (var store = await SqliteCdpStore.OpenAsync(_data, CancellationToken.None))
        {
            await new PipelineWorker(store, TimeProvider.System).RebuildAsync(null, CancellationToken.None);
        }

        Assert.Equal(afterCrash, Dump(out _, out _));
    }

    // 50 events per batch over 400 anonymous ids and 150 users: sign-ups link and merge profiles across batches.
    private static string Batch(int b) => JsonSerializer.Serialize(new
    {
        batch = Enumerable.Range(0, 50).Select(i =>
        {
            var n = b * 50 + i;
            var anonymousId = $"a{n * 7 % 400}";
            return n % 5 == 0
                ? (object)new { type = "identify", messageId = $"m{n}", anonymousId, userId = $"u{n % 150}", traits = new { email = $"u{n % 150}@shop.dk", visits = n }, timestamp = $"2026-03-01T09:{n / 60 % 60:D2}:{n % 60:D2}Z" }
                : new { type = "track", messageId = $"m{n}", anonymousId, @event = "Viewed", properties = new { n }, timestamp = $"2026-03-01T09:{n / 60 % 60:D2}:{n % 60:D2}Z" };
        }),
    });

    private string Dump(out long linked, out long distinct)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_data, "samlet.db")};Pooling=false");
        connection.Open();
        using (var count = connection.CreateCommand())
        {
            count.CommandText = "SELECT COUNT(*), COUNT(DISTINCT seq) FROM profile_events";
            using var reader = count.ExecuteReader();
            reader.Read();
            (linked, distinct) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        var text = new StringBuilder();
        foreach (var query in new[]
        {
            "SELECT id, created_at, first_seen, last_seen, last_message_id, traits, counts FROM profiles ORDER BY id",
            "SELECT workspace_id, type, value, profile_id, added_at FROM profile_identifiers ORDER BY 1, 2, 3",
            "SELECT profile_id, seq FROM profile_events ORDER BY 1, 2",
            "SELECT from_id, to_id FROM profile_redirects ORDER BY 1",
            "SELECT profile_id, seq, kind, explanation FROM identity_history ORDER BY 1, 2, 3",
        })
        {
            using var command = connection.CreateCommand();
            command.CommandText = query;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    text.Append(reader.GetValue(i)).Append('|');
                }

                text.AppendLine();
            }
        }

        return text.ToString();
    }

    private static async Task UntilAsync(HttpClient http, Func<PipelineLag, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (!condition(await LagAsync(http, timeout.Token)))
        {
            await tick.WaitForNextTickAsync(timeout.Token);
        }
    }

    private static async Task<PipelineLag> LagAsync(HttpClient http, CancellationToken cancellationToken = default)
    {
        var ready = JsonDocument.Parse(await http.GetStringAsync("/readyz", cancellationToken)).RootElement.GetProperty("pipeline");
        return new PipelineLag(ready.GetProperty("position").GetInt64(), ready.GetProperty("eventsBehind").GetInt64(), ready.GetProperty("secondsBehind").GetDouble());
    }

    private async Task<long> CountEventsAsync()
    {
        await using var store = await SqliteCdpStore.OpenAsync(_data, CancellationToken.None);
        return await store.Events.CountAsync(CancellationToken.None);
    }

    private static HttpClient Client(Uri baseAddress)
    {
        var http = new HttpClient { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(WriteKey + ":")));
        return http;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }
}
