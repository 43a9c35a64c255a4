using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;
using Samlet.Pipeline;
using Samlet.Server.Tests.Audiences;
using Samlet.Sources;
using Samlet.Storage.Postgres;
using Samlet.Tests.Shared;

namespace Samlet.Server.Tests.Pipeline;

/// <summary>
/// Three real <c>samlet</c> processes on one PostgreSQL share the pipeline's partitions while events arrive at all of
/// them; one is killed with -9 mid-run. Every acknowledged event is processed exactly once, and the profiles equal
/// those a single worker derives from the same log.
/// </summary>
public sealed class MultiInstanceTests : IAsyncLifetime
{
    private const string AdminKey = "sk_multi_instance";
    private const int Workspaces = 4;
    private readonly string _data = Path.Combine(Path.GetTempPath(), "samlet-multi-" + Guid.NewGuid().ToString("N"));
    private string _connection = null!;

    public async Task InitializeAsync()
    {
        _connection = await PostgresTestServer.CreateDatabaseAsync();
        Directory.CreateDirectory(_data);
        await using var store = await PostgresCdpStore.OpenAsync(_connection, CancellationToken.None);
        await store.MigrateAsync(CancellationToken.None);
        var at = DateTimeOffset.Parse("2026-03-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        for (var w = 0; w < Workspaces; w++)
        {
            // Created in order, so in partitions 0..3: every instance of three gets work.
            await store.Sources.CreateWorkspaceAsync(new Workspace($"ws_{w}", $"shop {w}", at.AddMinutes(w)), CancellationToken.None);
            await store.Sources.CreateSourceAsync(new Source($"src_{w}", $"ws_{w}", "web", Secrets.Hash(WriteKey(w)), true, at), CancellationToken.None);
        }
    }

    public async Task DisposeAsync()
    {
        await PostgresTestServer.DropDatabaseAsync(_connection);
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Three_instances_one_killed_mid_run_process_every_event_once_and_equal_one_worker()
    {
        var environment = new Dictionary<string, string>
        {
            ["SAMLET__Store__Kind"] = "postgres",
            ["SAMLET__Store__Connection"] = _connection,
            ["SAMLET__Pipeline__BatchSize"] = "25", // many commits, so the kill lands between and inside them
        };
        var instances = new List<SamletProcess>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                instances.Add(await SamletProcess.StartAsync(Path.Combine(_data, $"i{i}"), "wk_unused", AdminKey, environment));
            }

            await Eventually.UntilAsync(() => HeldAsync(instances), held => held.All(h => h.Length > 0) && held.Sum(h => h.Length) == PipelinePartitions.Count, "the three instances to share the partitions");

            // 80 batches of 40 events, four at a time, each to a random instance and workspace. The first instance is
            // killed as soon as the first 30 are acknowledged, while the pipeline is still behind (small batches).
            var random = new Random(7);
            var victim = instances[0];
            var plan = Enumerable.Range(0, 80).Select(b => (Batch: b, Workspace: random.Next(Workspaces), Instance: random.Next(3))).ToList();
            await SendAsync(plan.Take(30), instances);
            await victim.KillAsync();
            await SendAsync(plan.Skip(30).Select(p => p with { Instance = p.Instance == 0 ? 1 + (p.Batch % 2) : p.Instance }), instances);
            var acknowledged = plan.Count * 40;

            var survivors = instances.Where(i => i != victim).ToList();
            await Eventually.UntilAsync(() => HeldAsync(survivors), held => held.Sum(h => h.Length) == PipelinePartitions.Count, "the survivors to take the dead instance's partitions", TimeSpan.FromSeconds(30));
            await Eventually.UntilAsync(() => BehindAsync(survivors[0]), behind => behind == 0, "the pipeline to catch up", TimeSpan.FromSeconds(90));

            var (events, linked, distinct) = await CountsAsync();
            Assert.Equal((acknowledged, acknowledged, acknowledged), (events, linked, distinct)); // each acknowledged event on exactly one profile
            var shared = await DumpAsync();
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }

            instances.Clear();
            await using (var store = await PostgresCdpStore.OpenAsync(_connection, CancellationToken.None))
            {
                await new PipelineWorker(store, TimeProvider.System).RebuildAsync(null, CancellationToken.None);
            }

            Assert.Equal(shared, await DumpAsync());
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    private static async Task SendAsync(IEnumerable<(int Batch, int Workspace, int Instance)> plan, List<SamletProcess> instances) =>
        await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (p, cancellationToken) =>
        {
            using var http = Client(instances[p.Instance].BaseAddress, WriteKey(p.Workspace));
            using var response = await http.PostAsync("/v1/batch", new StringContent(Batch(p.Batch), Encoding.UTF8, "application/json"), cancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        });

    private static string WriteKey(int workspace) => $"wk_multi_instance_{workspace}";

    // 40 events over 60 anonymous ids and 25 users per workspace: sign-ups link and merge profiles across batches.
    private static string Batch(int b) => JsonSerializer.Serialize(new
    {
        batch = Enumerable.Range(0, 40).Select(i =>
        {
            var n = b * 40 + i;
            var anonymousId = $"a{n * 7 % 60}";
            var timestamp = $"2026-03-01T{n / 3600 % 24:D2}:{n / 60 % 60:D2}:{n % 60:D2}Z";
            return n % 4 == 0
                ? (object)new { type = "identify", messageId = $"m{n}", anonymousId, userId = $"u{n % 25}", traits = new { email = $"u{n % 25}@shop.dk", visits = n }, timestamp }
                : new { type = "track", messageId = $"m{n}", anonymousId, @event = "Viewed", properties = new { n }, timestamp };
        }),
    });

    private static async Task<int[][]> HeldAsync(IEnumerable<SamletProcess> instances)
    {
        var held = new List<int[]>();
        foreach (var instance in instances)
        {
            using var http = new HttpClient { BaseAddress = instance.BaseAddress };
            var ready = JsonDocument.Parse(await http.GetStringAsync("/readyz")).RootElement.GetProperty("pipeline");
            held.Add([.. ready.GetProperty("partitions").EnumerateArray().Select(p => p.GetInt32())]);
        }

        return [.. held];
    }

    private static async Task<long> BehindAsync(SamletProcess instance)
    {
        using var http = new HttpClient { BaseAddress = instance.BaseAddress };
        return JsonDocument.Parse(await http.GetStringAsync("/readyz")).RootElement.GetProperty("pipeline").GetProperty("eventsBehind").GetInt64();
    }

    private async Task<(long Events, long Linked, long Distinct)> CountsAsync()
    {
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT (SELECT count(*) FROM events), count(*), count(DISTINCT seq) FROM profile_events", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    // Everything derived, in a stable order (updated_at, processing time, left out).
    private async Task<string> DumpAsync()
    {
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync();
        var text = new StringBuilder();
        foreach (var query in new[]
        {
            "SELECT id, workspace_id, created_at, first_seen, last_seen, last_message_id, traits::text, counts::text FROM profiles ORDER BY id",
            "SELECT workspace_id, type, value, profile_id, added_at FROM profile_identifiers ORDER BY 1, 2, 3",
            "SELECT profile_id, seq FROM profile_events ORDER BY 1, 2",
            "SELECT from_id, to_id FROM profile_redirects ORDER BY 1",
            "SELECT profile_id, seq, kind, explanation FROM identity_history ORDER BY 1, 2, 3, 4",
        })
        {
            await using var command = new NpgsqlCommand(query, connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
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

    private static HttpClient Client(Uri baseAddress, string writeKey)
    {
        var http = new HttpClient { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
        return http;
    }
}
