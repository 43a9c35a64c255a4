using Samlet.Events;
using Samlet.Storage.Sqlite;

namespace Samlet.Storage.Tests.Sqlite;

/// <summary>
/// What only SQLite's analytics scan has to get right: one pass over the timeline's chunks and each event found by its
/// rowid, with no sort in SQLite (the store orders one profile's events itself, when a merge made its chunks overlap).
/// </summary>
public sealed class SqliteAnalyticsScanPlanTests : IAsyncLifetime
{
    private readonly SqliteStoreFixture _fixture = new();

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task The_scan_reads_the_timeline_in_key_order_and_looks_each_event_up_with_no_sort()
    {
        var store = (SqliteCdpStore)_fixture.Store;
        await using var connection = await store.OpenReaderAsync(CancellationToken.None);
        // Statistics that make the source index look selective, as a large log with many sources would.
        await SqliteCdpStore.ExecuteAsync(connection, """
            ANALYZE;
            INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('events', 'events_message_id', '10000000 100 1'), ('profile_timeline', 'profile_timeline', '1000000 10 1');
            ANALYZE sqlite_schema;
            """, CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + SqliteAnalyticsStore.ScanSql(command, new ProfileEventScan(["src_1", "src_2"], ["Order Completed"], [EventType.Identify]));
        var steps = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            steps.Add(reader.GetString(3));
        }

        Assert.Equal(["SCAN t", "SCAN j VIRTUAL TABLE INDEX 1:", "SEARCH e USING INTEGER PRIMARY KEY (rowid=?)"], steps);
    }
}
