using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Samlet.Storage.Sqlite;

/// <summary>
/// Copies the write-ahead log into the database file on a connection of its own, beside the writer rather than in its
/// commits (SQLite's automatic checkpoint runs inside the commit that fills the log, so every append and pipeline batch
/// waited for it). A passive checkpoint every <see cref="Interval"/> copies what readers allow without blocking anyone;
/// once the log has grown past <see cref="RestartFrames"/>, a short restart checkpoint with the writer paused copies the
/// rest, so the writer starts the log over instead of growing it. A reader on an older snapshot (an analytics scan) keeps
/// the log from restarting: the restart then waits at most 50 ms, and is not tried again for <see cref="Backoff"/>.
/// A checkpoint that does not reach the end of the log (the writer keeps appending) does not sync the database file, so
/// before pausing the writer the database file is synced here and what arrived meanwhile copied: the restart then copies
/// and syncs only a little itself. After every round the kernel is told to start writing what was copied, so that sync
/// finds little left to write.
/// </summary>
internal sealed class WalCheckpointer : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>64 MB of 16 KB pages.</summary>
    public const int RestartFrames = 4096;

    public static readonly TimeSpan Backoff = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _restarts;

    private WalCheckpointer(SqliteCdpStore store, SqliteConnection connection, FileStream databaseFile)
    {
        _loop = Task.Run(() => RunAsync(store, connection, databaseFile, _stop.Token));
    }

    /// <summary>Restart checkpoints that finished (the writer starts the log over at its next write).</summary>
    public int Restarts => Volatile.Read(ref _restarts);

    /// <summary>
    /// Starts checkpointing <paramref name="store"/>'s log. <paramref name="databaseFile"/>: the database file, opened
    /// for syncing only; the caller closes it after every connection (closing a file drops all of the process's POSIX locks
    /// on it, SQLite's too).
    /// </summary>
    public static async Task<WalCheckpointer> StartAsync(SqliteCdpStore store, FileStream databaseFile, CancellationToken cancellationToken)
    {
        // Not pooled: its short busy timeout must not pass to a reader that would get it from the pool.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(store.ConnectionString) { Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        // Reading the journal mode opens the database's log on this connection: until then a checkpoint finds no log.
        await SqliteCdpStore.ExecuteAsync(connection, "PRAGMA busy_timeout=50; PRAGMA journal_mode;", cancellationToken);
        return new WalCheckpointer(store, connection, databaseFile);
    }

    private async Task RunAsync(SqliteCdpStore store, SqliteConnection connection, FileStream databaseFile, CancellationToken cancellationToken)
    {
        await using var owned = connection;
        using var timer = new PeriodicTimer(Interval);
        var roundsToSkip = 0;
        var restartedAt = -1;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                // Busy or a transient I/O error leaves every frame in the log: a later round tries again.
                var copied = Checkpoint(connection, raw.SQLITE_CHECKPOINT_PASSIVE, out var frames);
                if (copied && frames > 0)
                {
                    StartWriteback(databaseFile);
                }

                // A log restarted at this size keeps reporting it until the writer's next write starts it over: restarting
                // it again (a sync and the writer paused, ten times a second while the writer is idle or in a long
                // transaction) would do nothing. Counted in a rebuild of 10.3 M events: 366 restarts, ~15 ms each.
                if (!copied || frames < RestartFrames || frames == restartedAt)
                {
                    continue;
                }

                if (roundsToSkip > 0)
                {
                    roundsToSkip--; // backing off after a restart that a reader kept from finishing
                    continue;
                }

                try
                {
                    CatchUp(connection, databaseFile, frames);
                }
                catch (IOException)
                {
                    continue;
                }

                var restarted = false;
                await store.WriteAsync(writer =>
                {
                    restarted = Checkpoint(connection, raw.SQLITE_CHECKPOINT_RESTART, out _);
                    return Task.CompletedTask;
                }, CancellationToken.None);
                roundsToSkip = restarted ? 0 : (int)(Backoff / Interval);
                restartedAt = restarted ? frames : -1;
                if (restarted)
                {
                    Interlocked.Increment(ref _restarts);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
            // The store began disposing between this round's catch-up and its restart, and refuses writes from then on
            // (a write queued during disposal must fail, not wait: SqliteStoreDisposalTests). The log is left to SQLite,
            // which checkpoints it when the store's last connection closes.
        }
    }

    /// <summary>
    /// Before the writer is paused: syncs the database file, then copies what the writer appended meanwhile, until little
    /// arrives, so the restart has only a few frames to copy and sync. Measured with 20-event appends at 75,000 events/s
    /// after a run at full speed: the writer paused 6–10 ms per restart with one sync and no second copy, 1–2 ms with this.
    /// </summary>
    private static void CatchUp(SqliteConnection connection, FileStream databaseFile, int frames)
    {
        for (var pass = 0; ; pass++)
        {
            databaseFile.Flush(flushToDisk: true);
            var before = frames;
            if (pass == CatchUpPasses || !Checkpoint(connection, raw.SQLITE_CHECKPOINT_PASSIVE, out frames) || frames - before < FewFrames)
            {
                return;
            }
        }
    }

    private const int CatchUpPasses = 3;

    /// <summary>1 MB: what a restart copies and syncs in about a millisecond.</summary>
    private const int FewFrames = 64;

    /// <summary>
    /// Runs a checkpoint through SQLite directly (Microsoft.Data.Sqlite would retry a busy one for the command timeout);
    /// false when it could not finish. <paramref name="frames"/>: the frames the log held.
    /// </summary>
    private static bool Checkpoint(SqliteConnection connection, int mode, out int frames) =>
        raw.sqlite3_wal_checkpoint_v2(connection.Handle, "main", mode, out frames, out _) == raw.SQLITE_OK;

    /// <summary>
    /// Starts writing the database file's dirty pages to disk without waiting (Linux's <c>sync_file_range</c>). Measured
    /// with 20-event appends at 58,000 events/s: the sync before a restart took ~10 ms when it had a whole log's worth of
    /// pages to write, and the appends' own log syncs waited behind it (ack p99 17 ms); with the writing spread over the
    /// rounds it takes ~3 ms (ack p99 7.6 ms).
    /// </summary>
    private static void StartWriteback(FileStream databaseFile)
    {
        if (OperatingSystem.IsLinux())
        {
            // Only a hint: when it fails, the sync before the restart writes everything, as without it.
            _ = SyncFileRange((int)databaseFile.SafeFileHandle.DangerousGetHandle(), 0, 0, SyncFileRangeWrite);
        }
    }

    private const uint SyncFileRangeWrite = 2;

    [DllImport("libc", EntryPoint = "sync_file_range")]
    private static extern int SyncFileRange(int fd, long offset, long count, uint flags);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
