using System.Text;
using Npgsql;
using Samlet.Events;
using Samlet.Storage.Postgres;
using Samlet.Tests.Shared;

namespace Samlet.Storage.Tests.Postgres;

/// <summary>What only the PostgreSQL store has to get right: partitions, locks, values jsonb refuses.</summary>
public sealed class PostgresStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset _t0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly PostgresStoreFixture _fixture = new();

    private ICdpStore Store => _fixture.Store;

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    private static CollectedEvent Event(string messageId, string payload = """{"type":"track"}""", DateTimeOffset? receivedAt = null) =>
        new("src_a", messageId, EventType.Track, "Viewed", "u1", null, _t0, receivedAt ?? _t0, Encoding.UTF8.GetBytes(payload));

    private async Task<List<string>> ScalarsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return values;
    }

    [Theory]
    [InlineData(10)]
    [InlineData(EventAppender.CopyThreshold + 500)]
    public async Task Sets_aside_events_PostgreSQL_cannot_store_as_rejected_and_stores_the_rest(int count)
    {
        // text (and the jsonb of traits) refuse U+0000. A 12,800-character random messageId is stored: only its 16-byte
        // key is indexed (ADR 16; a btree entry holds at most ~2.7 KB, which the messageId itself once had to fit).
        var longId = string.Concat(Enumerable.Range(0, 400).Select(i => Guid.NewGuid().ToString("N")));
        var events = Enumerable.Range(0, count).Select(i => Event($"ok{i}")).ToList();
        events.Insert(count / 2, Event("nul", """{"type":"track","properties":{"name":"a\u0000b"}}"""));
        events.Insert(count / 3, Event(longId));
        events.Add(Event("nul-user") with { UserId = "a\0b" });
        // An escaped backslash before "u0000" is text, not U+0000: stored.
        events.Add(Event("backslash", """{"type":"track","properties":{"name":"a\\u0000b"}}"""));

        var result = await Store.Events.AppendAsync(events, [], CancellationToken.None);

        Assert.Equal(new AppendResult(count + 2, 0, 2), result);
        Assert.Equal(count + 2, await Store.Events.CountAsync(CancellationToken.None));
        var rejected = await Store.Events.QueryRejectedAsync(new RejectedQuery(["src_a"]), CancellationToken.None);
        Assert.All(rejected, r => Assert.StartsWith("PostgreSQL cannot store this event:", r.Reason, StringComparison.Ordinal));
        Assert.Contains(rejected, r => Encoding.UTF8.GetString(r.Payload).Contains("a\\u0000b", StringComparison.Ordinal));
        Assert.Equal(new AppendResult(0, 1, 0), await Store.Events.AppendAsync([Event($"ok{count - 1}")], [], CancellationToken.None));
        // The refused event's key was given back: sent again, it is refused again rather than skipped as a duplicate.
        Assert.Equal(new AppendResult(0, 0, 1), await Store.Events.AppendAsync([events.Single(e => e.MessageId == "nul-user")], [], CancellationToken.None));
    }

    [Theory]
    [InlineData(null, PostgresCdpStore.WriteBufferSize)]
    [InlineData(16_384, 16_384)]
    [InlineData(8_192, 8_192)]
    public async Task Writes_through_a_64_KB_buffer_unless_the_connection_string_sets_a_size(int? set, int expected)
    {
        var connectionString = set is null ? _fixture.ConnectionString : $"{_fixture.ConnectionString};Write Buffer Size={set}";
        await using var store = await PostgresCdpStore.OpenAsync(connectionString, CancellationToken.None);
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(store.DataSource.ConnectionString).WriteBufferSize);
        Assert.True(await store.IsReachableAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Creates_the_partition_of_each_month_appended_to_and_of_the_month_after()
    {
        await Store.Events.AppendAsync([Event("nov"), Event("feb", receivedAt: _t0.AddMonths(3))], [], CancellationToken.None);

        var partitions = await ScalarsAsync("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass ORDER BY 1");
        Assert.Equal(["events_2026_11", "events_2026_12", "events_2027_02", "events_2027_03"], partitions);
        Assert.Equal(["1"], await ScalarsAsync("SELECT count(*) FROM events_2027_02"));
    }

    [Fact]
    public async Task Instances_migrating_at_the_same_time_apply_each_migration_once()
    {
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgresCdpStore.OpenAsync(_fixture.ConnectionString, CancellationToken.None)));
        try
        {
            await using (var connection = new NpgsqlConnection(_fixture.ConnectionString))
            {
                await connection.OpenAsync();
                await new NpgsqlCommand("DROP SCHEMA public CASCADE; CREATE SCHEMA public", connection).ExecuteNonQueryAsync();
            }

            await Task.WhenAll(stores.Select(s => s.MigrateAsync(CancellationToken.None)));

            Assert.Equal(["1", "2", "3", "4", "5", "6", "7", "8", "9"], await ScalarsAsync("SELECT version FROM schema_migrations ORDER BY version"));
            Assert.Equal(new AppendResult(1, 0, 0), await stores[0].Events.AppendAsync([Event("m1")], [], CancellationToken.None));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_reader_following_the_log_sees_every_event_of_two_instances_appending_at_once()
    {
        // Sequence numbers are taken under the append lock, so no event can commit below a position a reader has passed.
        await using var other = await PostgresCdpStore.OpenAsync(_fixture.ConnectionString, CancellationToken.None);
        const int Appends = 40;
        async Task WriteAsync(ICdpStore store, string prefix)
        {
            for (var i = 0; i < Appends; i++)
            {
                await store.Events.AppendAsync([.. Enumerable.Range(0, 5).Select(j => Event($"{prefix}-{i}-{j}"))], [], CancellationToken.None);
            }
        }

        var writers = Task.WhenAll(Task.Run(() => WriteAsync(Store, "a")), Task.Run(() => WriteAsync(other, "b")));
        var seen = new List<string>();
        long position = 0;
        while (seen.Count < 2 * Appends * 5)
        {
            // Whether the writers had finished is taken before the read: an empty page after that means events were skipped.
            var writersDone = writers.IsCompleted;
            var page = await Store.Events.ReadAfterAsync(position, 50, CancellationToken.None);
            seen.AddRange(page.Select(e => e.MessageId));
            position = page.Count > 0 ? page[^1].Sequence : position;
            Assert.False(writersDone && page.Count == 0 && seen.Count < 2 * Appends * 5, $"the reader missed events: saw {seen.Count}");
        }

        await writers;
        Assert.Equal(2 * Appends * 5, seen.Distinct().Count());
    }

    [Fact]
    public async Task Appends_in_flight_at_once_that_repeat_each_others_ids_store_each_id_once()
    {
        // GroupCommitter keeps two appends in flight (IEventLog.ConcurrentAppends); SDK retries may put one messageId in both.
        Assert.Equal(2, Store.Events.ConcurrentAppends);
        const int Rounds = 30, Writers = 4, PerAppend = 10;
        var results = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var stored = 0;
            for (var round = 0; round < Rounds; round++)
            {
                // Every writer sends the same ids, in a different order.
                var ids = Enumerable.Range(0, PerAppend).Select(j => $"r{round}-{(j + w) % PerAppend}");
                stored += (await Store.Events.AppendAsync([.. ids.Select(id => Event(id))], [], CancellationToken.None)).Stored;
            }

            return stored;
        })));

        Assert.Equal(Rounds * PerAppend, results.Sum());
        var log = await Store.Events.ReadAfterAsync(0, 10_000, CancellationToken.None);
        Assert.Equal(Rounds * PerAppend, log.Count);
        Assert.Equal(Rounds * PerAppend, log.Select(e => e.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task Imports_and_requests_repeating_each_others_ids_at_once_store_each_id_once()
    {
        // Keys are claimed before the append lock, in key order: large appends (COPY, checked) and small ones (plain
        // claims that fail on a duplicate and run again checked) must wait for each other's keys without a deadlock
        // (PostgreSQL would abort one of them after deadlock_timeout). Unsorted claims failed this test in every run.
        const int Ids = EventAppender.CopyThreshold + 500, Rounds = 3;
        var tasks = new List<Task<int>>();
        for (var writer = 0; writer < 5; writer++)
        {
            var seed = writer;
            var size = writer < 2 ? Ids : 50;
            tasks.Add(Task.Run(async () =>
            {
                var random = new Random(seed);
                var stored = 0;
                for (var round = 0; round < Rounds; round++)
                {
                    var ids = Enumerable.Range(0, Ids).Select(i => $"i{round}-{i}").ToArray();
                    random.Shuffle(ids);
                    foreach (var chunk in ids.Chunk(size))
                    {
                        stored += (await Store.Events.AppendAsync([.. chunk.Select(id => Event(id))], [], CancellationToken.None)).Stored;
                    }
                }

                return stored;
            }));
        }

        Assert.Equal(Ids * Rounds, (await Task.WhenAll(tasks)).Sum());
        Assert.Equal(Ids * Rounds, await Store.Events.CountAsync(CancellationToken.None));
        Assert.Equal(Ids * Rounds, (await ScalarsAsync("SELECT count(DISTINCT message_id) FROM events")).Select(int.Parse).Single());
    }

    [Fact]
    public async Task A_store_migrated_from_text_message_ids_still_knows_every_id_it_had()
    {
        // Migration 0009 derives each stored pair's key in SQL; appends derive it in C#: the two must agree byte for byte.
        var connectionString = await PostgresTestServer.CreateDatabaseAsync();
        try
        {
            string[] old = ["m-1", "550e8400-e29b-41d4-a716-446655440000", "ünïcødé 🎉", "two\nlines", new string('x', 600)];
            await using (var dataSource = NpgsqlDataSource.Create(connectionString))
            {
                await PostgresMigrations.ApplyAsync(dataSource, CancellationToken.None, through: 8);
                await using var insert = dataSource.CreateCommand("INSERT INTO event_message_ids SELECT 'src_a', unnest($1::text[]), now()");
                insert.Parameters.Add(new() { Value = old });
                await insert.ExecuteNonQueryAsync();
            }

            await using var store = await PostgresCdpStore.OpenAsync(connectionString, CancellationToken.None);
            await store.MigrateAsync(CancellationToken.None);
            var result = await store.Events.AppendAsync([.. old.Select(id => Event(id)), Event("new")], [], CancellationToken.None);
            Assert.Equal((1, old.Length), (result.Stored, result.Duplicates));
            Assert.Equal(["new"], (await store.Events.ReadAfterAsync(0, 10, CancellationToken.None)).Select(e => e.MessageId));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await PostgresTestServer.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public async Task Appends_after_a_duplicate_and_long_after_it_store_exactly_the_new_events()
    {
        // Appends claim keys without ON CONFLICT until one meets a duplicate, then check for a while: both ways must agree.
        Assert.Equal(2, (await Store.Events.AppendAsync([Event("a"), Event("b")], [], CancellationToken.None)).Stored);
        var expected = new List<string> { "a", "b" };
        for (var round = 0; round < 250; round++)
        {
            var fresh = $"f{round}";
            var repeated = round % 60 == 0 ? expected[round % expected.Count] : null;
            CollectedEvent[] events = repeated is null ? [Event(fresh)] : [Event(fresh), Event(repeated)];
            var result = await Store.Events.AppendAsync(events, [], CancellationToken.None);
            Assert.Equal((1, repeated is null ? 0 : 1), (result.Stored, result.Duplicates));
            expected.Add(fresh);
        }

        Assert.Equal(expected, (await Store.Events.ReadAfterAsync(0, 1_000, CancellationToken.None)).Select(e => e.MessageId));
    }
}
