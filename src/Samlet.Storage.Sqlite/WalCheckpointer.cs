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
/// before pausing the writer the database file is synced here: the restart then syncs only the little it copies itself.
/// </summary>
internal sealed class WalCheckpointer : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>64 MB of 16 KB pages.</summary>
    public const int RestartFrames = 4096;

    public static readonly TimeSpan Backoff = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private WalCheckpointer(SqliteCdpStore store, SqliteConnection connection, FileStream databaseFile)
    {
        _loop = Task.Run(() => RunAsync(store, connection, databaseFile, _stop.Token));
    }

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

    private static async Task RunAsync(SqliteCdpStore store, SqliteConnection connection, FileStream databaseFile, CancellationToken cancellationToken)
    {
        await using var owned = connection;
        using var timer = new PeriodicTimer(Interval);
        var roundsToSkip = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                // Busy or a transient I/O error leaves every frame in the log: a later round tries again.
                if (!Checkpoint(connection, raw.SQLITE_CHECKPOINT_PASSIVE, out var frames) || frames < RestartFrames)
                {
                    continue;
                }

                if (roundsToSkip > 0)
                {
                    roundsToSkip--; // backing off after a restart that a reader kept from finishing
                    continue;
                }

                // Measured with 20-event appends at 58,000 events/s: the writer paused 10–13 ms per restart without this, 1–3 ms with it.
                try
                {
                    databaseFile.Flush(flushToDisk: true);
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
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Runs a checkpoint through SQLite directly (Microsoft.Data.Sqlite would retry a busy one for the command timeout);
    /// false when it could not finish. <paramref name="frames"/>: the frames the log held.
    /// </summary>
    private static bool Checkpoint(SqliteConnection connection, int mode, out int frames) =>
        raw.sqlite3_wal_checkpoint_v2(connection.Handle, "main", mode, out frames, out _) == raw.SQLITE_OK;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
