using System.Text;
using Microsoft.Data.Sqlite;
using Samlet.Events;
using Samlet.Storage.Sqlite;

namespace Samlet.Storage.Tests.Sqlite;

/// <summary>The write-ahead log is checkpointed beside the writer (WalCheckpointer) and does not grow without end.</summary>
public sealed class SqliteWalTests : IAsyncLifetime
{
    private const long LogLimit = 64 * 1024 * 1024; // journal_size_limit
    private static readonly DateTimeOffset _t0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "samlet-test-" + Guid.NewGuid().ToString("N"));
    private SqliteCdpStore _store = null!;
    private int _next;

    private string LogFile => Path.Combine(_directory, "samlet.db-wal");

    public async Task InitializeAsync()
    {
        _store = await SqliteCdpStore.OpenAsync(_directory, CancellationToken.None);
        await _store.MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Appends <paramref name="megabytes"/> MB of 1 KB events, 1,000 per commit.</summary>
    private async Task AppendAsync(int megabytes)
    {
        var padding = new string('x', 960);
        for (var batch = 0; batch < megabytes; batch++)
        {
            var events = Enumerable.Range(0, 1000).Select(_ =>
            {
                var id = $"m{_next++}";
                return new CollectedEvent("src_a", id, EventType.Track, "Viewed", "u1", null, _t0, _t0,
                    Encoding.UTF8.GetBytes($$"""{"type":"track","messageId":"{{id}}","p":"{{padding}}"}"""));
            }).ToArray();
            await _store.Events.AppendAsync(events, [], CancellationToken.None);
        }
    }

    /// <summary>Appends one event at a time until the log file is back under its limit (the writer restarts it).</summary>
    private async Task<long> LogSizeOnceSettledAsync()
    {
        for (var attempt = 0; attempt < 100 && new FileInfo(LogFile).Length > LogLimit; attempt++)
        {
            await Task.Delay(100);
            await _store.Events.AppendAsync(
                [new CollectedEvent("src_a", $"tick{attempt}-{_next++}", EventType.Track, "Tick", "u1", null, _t0, _t0, "{}"u8.ToArray())],
                [], CancellationToken.None);
        }

        return new FileInfo(LogFile).Length;
    }

    [Fact]
    public async Task Keeps_the_log_under_its_limit_while_the_writer_keeps_writing()
    {
        await AppendAsync(160);
        Assert.InRange(await LogSizeOnceSettledAsync(), 0, LogLimit);
        Assert.Equal(_next, await _store.Events.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_reader_holding_an_old_snapshot_delays_the_restart_but_never_the_writer()
    {
        await AppendAsync(1);
        await using (var reader = new SqliteConnection($"Data Source={Path.Combine(_directory, "samlet.db")};Pooling=False"))
        {
            await reader.OpenAsync();
            await using var count = reader.CreateCommand();
            count.CommandText = "BEGIN";
            await count.ExecuteNonQueryAsync();
            count.CommandText = "SELECT count(*) FROM events";
            Assert.Equal(1000L, await count.ExecuteScalarAsync());

            await AppendAsync(100); // the checkpointer's restart waits for the reader in vain, round after round
            Assert.True(new FileInfo(LogFile).Length > LogLimit, "the reader's snapshot keeps the log's frames");
            Assert.Equal(1000L, await count.ExecuteScalarAsync());
            count.CommandText = "COMMIT";
            await count.ExecuteNonQueryAsync();
        }

        Assert.InRange(await LogSizeOnceSettledAsync(), 0, LogLimit);
        Assert.Equal(_next, await _store.Events.CountAsync(CancellationToken.None));
    }
}
