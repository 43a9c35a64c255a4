using System.Text.Json;
using Samlet.Audiences;
using Samlet.Events;
using Samlet.Storage;
using Samlet.Storage.Postgres;
using Samlet.Storage.Sqlite;
using Samlet.Tests.Shared;

namespace Samlet.Server.Tests.Cli;

/// <summary><c>samlet migrate</c> and <c>samlet copy</c> against a fresh database of the shared PostgreSQL test server.</summary>
public sealed class StoreCliTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("samlet-copy-").FullName;
    private string _connection = null!;

    private string Data => Path.Combine(_directory, "data");

    public async Task InitializeAsync() => _connection = await PostgresTestServer.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        await PostgresTestServer.DropDatabaseAsync(_connection);
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A SQLite store filled through <c>samlet import</c>: <paramref name="events"/> events and 2 rejected lines.</summary>
    private async Task ImportIntoSqliteAsync(int events)
    {
        var file = Path.Combine(_directory, "events.jsonl");
        var lines = Enumerable.Range(0, events)
            .Select(i => $$"""{"type":"track","event":"Viewed","userId":"u{{i % 50}}","messageId":"m{{i}}","properties":{"n":{{i}},"tags":["a","b"]},"timestamp":"2025-03-01T10:00:00Z"}""")
            .Append("""{"type":"track","userId":"u1","messageId":"bad1"}""")
            .Append("""{"type":"track", "event": """);
        await File.WriteAllLinesAsync(file, lines);
        var (exitCode, _, error) = await SamletCli.RunAsync("import", file, "--data", Data);
        Assert.True(exitCode == 0, error);
    }

    [Fact]
    public async Task Migrate_creates_the_schema_of_a_PostgreSQL_database_and_can_run_again()
    {
        var first = await SamletCli.RunAsync("migrate", "--store", "postgres", "--connection", _connection);
        var second = await SamletCli.RunAsync("migrate", "--store", "postgres", "--connection", _connection);

        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        Assert.Contains("Migrated the PostgreSQL database samlet_test_", first.Output, StringComparison.Ordinal);
        await using var store = await PostgresCdpStore.OpenAsync(_connection, CancellationToken.None);
        Assert.Equal(0, await store.Events.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Migrate_fails_with_a_message_when_the_store_is_not_named_properly_or_unreachable()
    {
        var missing = await SamletCli.RunAsync("migrate", "--store", "postgres");
        var unreachable = await SamletCli.RunAsync("migrate", "--store", "postgres", "--connection", "Host=127.0.0.1;Port=1;Username=x;Timeout=2");

        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("needs a connection string", missing.Error, StringComparison.Ordinal);
        Assert.Equal(1, unreachable.ExitCode);
        Assert.StartsWith("error: the store failed:", unreachable.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Copies_a_SQLite_store_to_PostgreSQL_in_log_order_and_again_without_duplicates()
    {
        await ImportIntoSqliteAsync(12_345);

        var first = await SamletCli.RunAsync("copy", "--from", "sqlite:" + Data, "--to", "postgres:" + _connection);
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains("Events: 12,345 copied, 0 already there.", first.Output, StringComparison.Ordinal);
        Assert.Contains("Rejected events: 2 copied.", first.Output, StringComparison.Ordinal);

        var second = await SamletCli.RunAsync("copy", "--from", "sqlite:" + Data, "--to", "postgres:" + _connection);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("Events: 0 copied, 12,345 already there.", second.Output, StringComparison.Ordinal);
        Assert.Contains("Rejected events: 0 copied.", second.Output, StringComparison.Ordinal);

        await using var sqlite = await SqliteCdpStore.OpenAsync(Data, CancellationToken.None);
        await using var postgres = await PostgresCdpStore.OpenAsync(_connection, CancellationToken.None);
        var workspace = Assert.Single(await postgres.Sources.ListWorkspacesAsync(CancellationToken.None));
        Assert.Equal(await sqlite.Sources.ListSourcesAsync(workspace.Id, CancellationToken.None), await postgres.Sources.ListSourcesAsync(workspace.Id, CancellationToken.None));
        Assert.Equal(await sqlite.Sources.ListApiKeysAsync(workspace.Id, CancellationToken.None), await postgres.Sources.ListApiKeysAsync(workspace.Id, CancellationToken.None));

        var expected = await sqlite.Events.ReadAfterAsync(0, 20_000, CancellationToken.None);
        var copied = await postgres.Events.ReadAfterAsync(0, 20_000, CancellationToken.None);
        Assert.Equal(expected.Select(e => e.MessageId), copied.Select(e => e.MessageId));
        Assert.Equal(expected.Select(e => (e.SourceId, e.Type, e.EventName, e.UserId, e.Timestamp, e.ReceivedAt)), copied.Select(e => (e.SourceId, e.Type, e.EventName, e.UserId, e.Timestamp, e.ReceivedAt)));
        Assert.All(expected.Zip(copied), p => Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(p.First.Payload).RootElement, JsonDocument.Parse(p.Second.Payload).RootElement)));

        var sources = (await sqlite.Sources.ListSourcesAsync(workspace.Id, CancellationToken.None)).Select(s => s.Id).ToList();
        var rejected = await postgres.Events.QueryRejectedAsync(new RejectedQuery(sources), CancellationToken.None);
        Assert.Equal(
            (await sqlite.Events.QueryRejectedAsync(new RejectedQuery(sources), CancellationToken.None)).Select(r => (r.Reason, r.ReceivedAt, Convert.ToHexString(r.Payload))),
            rejected.Select(r => (r.Reason, r.ReceivedAt, Convert.ToHexString(r.Payload))));
    }

    [Fact]
    public async Task Copies_identity_rules_and_unmerge_cuts_which_the_log_cannot_give_back()
    {
        await ImportIntoSqliteAsync(10);
        await using (var sqlite = await SqliteCdpStore.OpenAsync(Data, CancellationToken.None))
        {
            var workspace = Assert.Single(await sqlite.Sources.ListWorkspacesAsync(CancellationToken.None)).Id;
            await sqlite.Profiles.SetIdentityRulesAsync(workspace, """{"defaultRegion":"DK"}""", CancellationToken.None);
            var cut = new Samlet.Pipeline.ChangeSet();
            cut.Cuts.Add(new Samlet.Identity.IdentityCut(workspace, Samlet.Identity.Identifier.Parse("email:family@home.dk"), "prf_x", new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)));
            await sqlite.ApplyAsync(cut, CancellationToken.None);
        }

        for (var run = 0; run < 2; run++)
        {
            var copy = await SamletCli.RunAsync("copy", "--from", "sqlite:" + Data, "--to", "postgres:" + _connection);
            Assert.True(copy.ExitCode == 0, copy.Error);
        }

        await using var postgres = await PostgresCdpStore.OpenAsync(_connection, CancellationToken.None);
        var copied = Assert.Single(await postgres.Sources.ListWorkspacesAsync(CancellationToken.None)).Id;
        Assert.Equal("""{"defaultRegion":"DK"}""", await postgres.Profiles.GetIdentityRulesAsync(copied, CancellationToken.None));
        var cuts = await postgres.Profiles.GetCutsAsync(copied, CancellationToken.None);
        Assert.Equal("email:family@home.dk", Assert.Single(cuts).Identifier.ToString());
    }

    [Fact]
    public async Task Copies_computed_trait_and_audience_definitions_which_are_configuration_once()
    {
        await ImportIntoSqliteAsync(10);
        var at = new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);
        const string Trait = """{"key":"orders","aggregate":{"count":{"event":"Order Completed"}}}""";
        const string Audience = """{"key":"buyers","condition":{"trait":"orders","op":">","value":0}}""";
        string workspace;
        await using (var sqlite = await SqliteCdpStore.OpenAsync(Data, CancellationToken.None))
        {
            workspace = Assert.Single(await sqlite.Sources.ListWorkspacesAsync(CancellationToken.None)).Id;
            await sqlite.Audiences.PutDefinitionAsync(workspace, DefinitionKind.ComputedTrait, "orders", "{}", at, CancellationToken.None);
            await sqlite.Audiences.PutDefinitionAsync(workspace, DefinitionKind.Audience, "buyers", Audience, at.AddMinutes(1), CancellationToken.None);
            await sqlite.Audiences.PutDefinitionAsync(workspace, DefinitionKind.ComputedTrait, "orders", Trait, at.AddMinutes(2), CancellationToken.None);
        }

        for (var run = 0; run < 2; run++)
        {
            var copy = await SamletCli.RunAsync("copy", "--from", "sqlite:" + Data, "--to", "postgres:" + _connection);
            Assert.True(copy.ExitCode == 0, copy.Error);
        }

        await using var postgres = await PostgresCdpStore.OpenAsync(_connection, CancellationToken.None);
        var copied = await postgres.Audiences.ListDefinitionsAsync(workspace, CancellationToken.None);
        Assert.Equal([$"Audience buyers {Audience} {at.AddMinutes(1):O}", $"ComputedTrait orders {Trait} {at.AddMinutes(2):O}"],
            copied.Select(d => $"{d.Kind} {d.Key} {d.Json} {d.UpdatedAt:O}").Order(StringComparer.Ordinal));
        Assert.Equal(2, await postgres.Audiences.GetDefinitionsVersionAsync(workspace, CancellationToken.None)); // the second run put nothing
        Assert.Equal(2, (await postgres.Audiences.GetBackfillAsync(workspace, CancellationToken.None))!.Version);
    }

    [Fact]
    public async Task Copy_fails_with_a_message_when_the_target_holds_other_events_or_the_source_is_missing()
    {
        await ImportIntoSqliteAsync(10);
        await using (var postgres = await PostgresCdpStore.OpenAsync(_connection, CancellationToken.None))
        {
            await postgres.MigrateAsync(CancellationToken.None);
            var other = new CollectedEvent("src_other", "x1", EventType.Track, "Viewed", "u1", null, new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero), new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero), "{}"u8.ToArray());
            await postgres.Events.AppendAsync([other], [], CancellationToken.None);
        }

        var mismatch = await SamletCli.RunAsync("copy", "--from", "sqlite:" + Data, "--to", "postgres:" + _connection);
        var noSource = await SamletCli.RunAsync("copy", "--from", "sqlite:" + Path.Combine(_directory, "nothing"), "--to", "postgres:" + _connection);
        var badSyntax = await SamletCli.RunAsync("copy", "--from", Data, "--to", "postgres:" + _connection);

        Assert.Equal(1, mismatch.ExitCode);
        Assert.Contains("error: events: the source has 10, the target 11.", mismatch.Error, StringComparison.Ordinal);
        Assert.Equal((2, 2), (noSource.ExitCode, badSyntax.ExitCode));
        Assert.Contains("There is no SQLite store in", noSource.Error, StringComparison.Ordinal);
        Assert.Contains("names no store", badSyntax.Error, StringComparison.Ordinal);
    }
}
