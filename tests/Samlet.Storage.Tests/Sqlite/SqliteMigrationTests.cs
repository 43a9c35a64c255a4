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
        string before;
        PipelineDriver driver;
        await using (var store = await OpenAsync())
        {
            driver = new PipelineDriver(store);
            await driver.AddWorkspaceAsync("ws", "src");
            await driver.SendAsync("src",
                driver.Message("identify", 1, """ "userId":"u1","anonymousId":"a1","traits":{"email":"Ann@Shop.dk","phone":"+45 20 30 40 50"} """),
                driver.Message("page", 2, """ "anonymousId":"a2","context":{"device":{"id":"d2"}} """),
                driver.Message("alias", 3, """ "previousId":"a2","userId":"u2" """),
                driver.Message("identify", 4, """ "userId":"u3","traits":{"email":"bo@shop.dk"} """));
            await driver.Worker().CatchUpAsync(null, CancellationToken.None);
            before = await driver.DumpAsync("ws");
        }

        // Back to the layout of before migration 6: keyed by type, with a separate index on values.
        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "samlet.db") }.ToString()))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE old_identifiers (workspace_id TEXT NOT NULL, type TEXT NOT NULL, value TEXT NOT NULL, profile_id TEXT NOT NULL,
                    added_at INTEGER NOT NULL, PRIMARY KEY (workspace_id, type, value)) WITHOUT ROWID;
                INSERT INTO old_identifiers SELECT workspace_id, type, value, profile_id, added_at FROM profile_identifiers;
                DROP TABLE profile_identifiers;
                ALTER TABLE old_identifiers RENAME TO profile_identifiers;
                CREATE INDEX profile_identifiers_profile ON profile_identifiers (profile_id);
                CREATE INDEX profile_identifiers_value ON profile_identifiers (workspace_id, value);
                DELETE FROM schema_migrations WHERE version = 6;
                """;
            await command.ExecuteNonQueryAsync();
        }

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

    private async Task<SqliteCdpStore> OpenAsync()
    {
        var store = await SqliteCdpStore.OpenAsync(_directory, CancellationToken.None);
        await store.MigrateAsync(CancellationToken.None);
        return store;
    }
}
