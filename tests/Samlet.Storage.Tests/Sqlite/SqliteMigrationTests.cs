using Microsoft.Data.Sqlite;
using Samlet.Storage.Sqlite;
using Samlet.Storage.Tests.Contract;

namespace Samlet.Storage.Tests.Sqlite;

/// <summary>Migrations that move data keep it: a store made before them reads the same afterwards.</summary>
public sealed class SqliteMigrationTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "samlet-test-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Identifiers_keyed_by_value_keep_every_profile_findable_by_identifier_and_by_search()
    {
        var (driver, before) = await ProcessedAsync(batchSize: 2000, driver => driver.SendAsync("src",
            driver.Message("identify", 1, """ "userId":"u1","anonymousId":"a1","traits":{"email":"Ann@Shop.dk","phone":"+45 20 30 40 50"} """),
            driver.Message("page", 2, """ "anonymousId":"a2","context":{"device":{"id":"d2"}} """),
            driver.Message("alias", 3, """ "previousId":"a2","userId":"u2" """),
            driver.Message("identify", 4, """ "userId":"u3","traits":{"email":"bo@shop.dk"} """)));

        // Back to the layout of before migration 6: keyed by type, with a separate index on values.
        await ExecuteAsync("""
            CREATE TABLE old_identifiers (workspace_id TEXT NOT NULL, type TEXT NOT NULL, value TEXT NOT NULL, profile_id TEXT NOT NULL,
                added_at INTEGER NOT NULL, PRIMARY KEY (workspace_id, type, value)) WITHOUT ROWID;
            INSERT INTO old_identifiers SELECT workspace_id, type, value, profile_id, added_at FROM profile_identifiers;
            DROP TABLE profile_identifiers;
            ALTER TABLE old_identifiers RENAME TO profile_identifiers;
            CREATE INDEX profile_identifiers_profile ON profile_identifiers (profile_id);
            CREATE INDEX profile_identifiers_value ON profile_identifiers (workspace_id, value);
            DELETE FROM schema_migrations WHERE version = 6;
            """);

        SqliteConnection.ClearAllPools();
        await using (var store = await OpenAsync())
        {
            driver.Store = store;
            Assert.Equal(before, await driver.DumpAsync("ws"));
            Assert.Contains("email:ann@shop.dk", before, StringComparison.Ordinal);
            var ann = (await driver.ProfileOfAsync("ws", "email:ann@shop.dk"))!.Id;
            Assert.Equal(ann, (await driver.ProfileOfAsync("ws", "user_id:u1"))!.Id);
            Assert.Equal((await driver.ProfileOfAsync("ws", "device_id:d2"))!.Id, (await driver.ProfileOfAsync("ws", "user_id:u2"))!.Id);
            Assert.Equal([ann], await store.Profiles.SearchAsync("ws", "ANN@", 10, CancellationToken.None));
            Assert.Equal(3, (await store.Profiles.SearchAsync("ws", "u", 10, CancellationToken.None)).Count); // u1, u2, u3
        }
    }

    [Fact]
    public async Task A_timeline_of_a_row_per_event_becomes_chunks_that_later_batches_append_to()
    {
        var (driver, before) = await ProcessedAsync(batchSize: 4, async driver =>
        {
            await driver.SendAsync("src", [.. Enumerable.Range(0, 40).Select(i => driver.Message("track", i, $$""" "anonymousId":"a{{i % 3}}","event":"E" """))]);
            await driver.SendAsync("src", driver.Message("identify", 50, """ "anonymousId":"a1","userId":"u1" """));
        });

        // Back to the layout of before migration 9: a row per event.
        await ExecuteAsync("""
            DROP VIEW profile_events;
            CREATE TABLE profile_events (profile_id TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (profile_id, seq)) WITHOUT ROWID;
            INSERT INTO profile_events SELECT t.profile_id, j.value FROM profile_timeline t, json_each(t.seqs) j;
            DROP TABLE profile_timeline;
            DELETE FROM schema_migrations WHERE version = 9;
            """);

        SqliteConnection.ClearAllPools();
        await using (var store = await OpenAsync())
        {
            driver.Store = store;
            Assert.Equal(before, await driver.DumpAsync("ws"));
            Assert.Equal(3L, await ScalarAsync(store, "SELECT count(*) FROM profile_timeline")); // one chunk per profile
            Assert.Equal(41L, await ScalarAsync(store, "SELECT count(*) FROM profile_events"));

            await driver.SendAsync("src", [.. Enumerable.Range(60, 9).Select(i => driver.Message("track", i, $$""" "anonymousId":"a{{i % 3}}","event":"F" """))]);
            await driver.Worker(batchSize: 2).CatchUpAsync(null, CancellationToken.None);
            Assert.Equal(3L, await ScalarAsync(store, "SELECT count(*) FROM profile_timeline")); // appended to those chunks
            var live = await driver.DumpAsync("ws");
            await driver.Worker().RebuildAsync(null, CancellationToken.None);
            Assert.Equal(live, await driver.DumpAsync("ws"));
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "samlet.db") }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(SqliteCdpStore store, string sql)
    {
        await using var connection = await store.OpenReaderAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    // A store of the current layout holding what send appended, processed in batches of batchSize: the driver (whose
    // store is closed again) and the dump a test compares with after taking the store back to an older layout.
    private async Task<(PipelineDriver Driver, string Dump)> ProcessedAsync(int batchSize, Func<PipelineDriver, Task> send)
    {
        await using var store = await OpenAsync();
        var driver = new PipelineDriver(store);
        await driver.AddWorkspaceAsync("ws", "src");
        await send(driver);
        await driver.Worker(batchSize: batchSize).CatchUpAsync(null, CancellationToken.None);
        return (driver, await driver.DumpAsync("ws"));
    }

    private async Task<SqliteCdpStore> OpenAsync()
    {
        var store = await SqliteCdpStore.OpenAsync(_directory, CancellationToken.None);
        await store.MigrateAsync(CancellationToken.None);
        return store;
    }
}
