using System.Text;
using Microsoft.Data.Sqlite;
using Samlet.Events;
using Samlet.Storage.Sqlite;

namespace Samlet.Storage.Tests.Sqlite;

/// <summary>
/// The write-ahead log is checkpointed beside the writer (WalCheckpointer) and does not grow without end: the writer
/// starts it over (the file keeps its size up to SQLite's journal_size_limit, 256 MB).
/// </summary>
public sealed class SqliteWalTests : IAsyncLifetime
{
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

    /// <summary>Appends one event at a time until the writer has started the log over since <paramref name="restarts"/>.</summary>
    private async Task<bool> RestartedSinceAsync(uint restarts)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (Restarts() != restarts)
            {
                return true;
            }

            await Task.Delay(100);
            await _store.Events.AppendAsync(
                [new CollectedEvent("src_a", $"tick{attempt}-{_next++}", EventType.Track, "Tick", "u1", null, _t0, _t0, "{}"u8.ToArray())],
                [], CancellationToken.None);
        }

        return false;
    }

    /// <summary>
    /// The log header's checkpoint sequence number, which every restart of the log raises. Read from the file, because
    /// asking SQLite (<c>PRAGMA wal_checkpoint</c>) would checkpoint, and the test would do the checkpointer's work.
    /// </summary>
    private uint Restarts()
    {
        using var file = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var header = new byte[16];
        file.ReadExactly(header);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(12));
    }

    [Fact]
    public async Task Starts_the_log_over_while_the_writer_keeps_writing()
    {
        await AppendAsync(1);
        var restarts = Restarts();
        await AppendAsync(160);
        Assert.True(await RestartedSinceAsync(restarts), "the log was never started over");
        Assert.Equal(_next, await _store.Events.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Disposing_the_store_while_a_restart_waits_for_the_writer_ends_cleanly()
    {
        // CI failed once on this race: the store was disposing when the checkpointer, past its catch-up, asked for the
        // writer to restart the log, and the disposed store's refusal escaped from DisposeAsync.
        var holding = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var write = _store.WriteAsync(async writer =>
        {
            await using var command = writer.CreateCommand();
            command.CommandText = """
                CREATE TABLE scratch (x BLOB);
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 24000) -- ~100 MB: past RestartFrames (64 MB)
                INSERT INTO scratch SELECT zeroblob(4000) FROM n;
                """;
            await command.ExecuteNonQueryAsync();
            holding.SetResult();
            await release.Task;
        }, CancellationToken.None);
        await holding.Task;
        await Task.Delay(WalCheckpointer.Interval * 5); // rounds enough for the checkpointer to queue for the writer

        var disposing = _store.DisposeAsync().AsTask();
        release.SetResult();
        await write;
        await disposing.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_reader_holding_an_old_snapshot_delays_the_restart_but_never_the_writer()
    {
        await AppendAsync(1);
        var restarts = Restarts();
        await using (var reader = new SqliteConnection($"Data Source={Path.Combine(_directory, "samlet.db")};Pooling=False"))
        {
            await reader.OpenAsync();
            await using var count = reader.CreateCommand();
            count.CommandText = "BEGIN";
            await count.ExecuteNonQueryAsync();
            count.CommandText = "SELECT count(*) FROM events";
            Assert.Equal(1000L, await count.ExecuteScalarAsync());

            await AppendAsync(100); // the checkpointer's restart waits for the reader in vain, round after round
            Assert.True(new FileInfo(LogFile).Length > 100L * 1024 * 1024, "the reader's snapshot keeps the log's frames");
            Assert.Equal(restarts, Restarts());
            Assert.Equal(1000L, await count.ExecuteScalarAsync());
            count.CommandText = "COMMIT";
            await count.ExecuteNonQueryAsync();
        }

        Assert.True(await RestartedSinceAsync(restarts), "the log was never started over");
        Assert.Equal(_next, await _store.Events.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_log_started_over_is_not_started_over_again_while_the_writer_is_idle()
    {
        await AppendAsync(1);
        await using (var reader = new SqliteConnection($"Data Source={Path.Combine(_directory, "samlet.db")};Pooling=False"))
        {
            await reader.OpenAsync();
            await using var hold = reader.CreateCommand();
            hold.CommandText = "BEGIN; SELECT count(*) FROM events;";
            await hold.ExecuteScalarAsync();
            await AppendAsync(80); // more than a restart's worth of frames, kept in the log by the reader's snapshot
            hold.CommandText = "COMMIT";
            await hold.ExecuteNonQueryAsync();
        }

        var checkpointer = _store.Checkpointer!;
        var before = checkpointer.Restarts;
        for (var attempt = 0; attempt < 100 && checkpointer.Restarts == before; attempt++)
        {
            await Task.Delay(100);
        }

        Assert.True(checkpointer.Restarts > before, "the log was never started over");
        var restarted = checkpointer.Restarts;
        await Task.Delay(WalCheckpointer.Interval * 10); // ten rounds with nothing written
        Assert.Equal(restarted, checkpointer.Restarts);
    }
}
