using System.Text;
using System.Text.Json;
using Npgsql;
using Samlet.Events;
using Samlet.Pipeline;
using Samlet.Storage.Postgres;

namespace Samlet.Storage.Tests.Postgres;

/// <summary>What only the PostgreSQL profile tables have to get right: timeline links that find their event's partition.</summary>
public sealed class PostgresProfileTablesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset _january = new(2026, 1, 15, 0, 0, 0, TimeSpan.Zero);
    private readonly PostgresStoreFixture _fixture = new();

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    /// <summary>Six events received over three months (three partitions, plus the month after), all linked to one profile.</summary>
    private async Task<long[]> LinkEventsOfThreeMonthsAsync()
    {
        var events = Enumerable.Range(0, 6).Select(i => new CollectedEvent(
            "src_1", $"e{i}", EventType.Track, "Viewed", "u1", null, _january, _january.AddMonths(i / 2), Encoding.UTF8.GetBytes("""{"type":"track"}"""))).ToList();
        await _fixture.Store.Events.AppendAsync(events, [], CancellationToken.None);
        var positions = (await _fixture.Store.Events.ReadAfterAsync(0, 10, CancellationToken.None)).Select(e => e.Sequence).ToArray();
        var changes = new ChangeSet();
        changes.Events.AddRange(positions.Select(p => new EventLink("prf_1", p)));
        await _fixture.Store.ApplyAsync(changes, CancellationToken.None);
        return positions;
    }

    [Fact]
    public async Task A_timeline_link_carries_the_partition_key_of_its_event()
    {
        await LinkEventsOfThreeMonthsAsync();

        await using var connection = new NpgsqlConnection(_fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT count(*), count(*) FILTER (WHERE pe.received_at = e.received_at), count(DISTINCT e.tableoid)
            FROM profile_events pe JOIN events e ON e.seq = pe.seq
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal((6L, 6L, 3L), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
    }

    [Fact]
    public async Task A_timeline_read_probes_only_the_partition_of_each_event()
    {
        await LinkEventsOfThreeMonthsAsync();

        // The plan a large table gets (tiny test tables would be scanned whole): a nested loop over the links, each
        // probing the events' primary keys. Run-time pruning must leave one partition per link, not all four.
        await using var connection = new NpgsqlConnection(_fixture.ConnectionString);
        await connection.OpenAsync();
        await using (var settings = new NpgsqlCommand("SET enable_hashjoin = off; SET enable_mergejoin = off; SET enable_seqscan = off", connection))
        {
            await settings.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, FORMAT JSON) " + PostgresProfileStore.TimelineSql(withCursor: false), connection);
        explain.Parameters.Add(new() { Value = "prf_1" });
        explain.Parameters.Add(new() { Value = 100 });
        using var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!);

        var probes = new Dictionary<string, long>(StringComparer.Ordinal);
        Collect(plan.RootElement[0].GetProperty("Plan"), probes);
        Assert.Equal(["events_2026_01", "events_2026_02", "events_2026_03", "events_2026_04"], probes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(6, probes.Values.Sum());
        Assert.Equal(0, probes["events_2026_04"]);
    }

    [Fact]
    public async Task A_timeline_read_returns_events_of_every_partition_newest_first()
    {
        var positions = await LinkEventsOfThreeMonthsAsync();

        var timeline = await _fixture.Store.Profiles.GetEventsAsync("prf_1", positions[^1], 10, CancellationToken.None);

        Assert.Equal(["e4", "e3", "e2", "e1", "e0"], timeline.Select(e => e.MessageId));
        Assert.Equal(_january.AddMonths(2), timeline[0].ReceivedAt);
    }

    /// <summary>Loops executed per partition of events, from an EXPLAIN ANALYZE plan.</summary>
    private static void Collect(JsonElement node, Dictionary<string, long> probes)
    {
        if (node.TryGetProperty("Relation Name", out var relation) && relation.GetString()!.StartsWith("events_", StringComparison.Ordinal))
        {
            probes[relation.GetString()!] = probes.GetValueOrDefault(relation.GetString()!) + node.GetProperty("Actual Loops").GetInt64();
        }

        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                Collect(child, probes);
            }
        }
    }
}
