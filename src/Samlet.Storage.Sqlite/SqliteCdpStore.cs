using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Samlet.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. One writer connection owned by the store (SQLite allows one
/// writer at a time, so writes queue here rather than on a lock); reads use their own pooled connections.
/// </summary>
public sealed class SqliteCdpStore : ICdpStore
{
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private WalCheckpointer? _checkpointer;
    private FileStream? _databaseFile;
    private int _disposed;

    /// <summary>
    /// SQLite without its own locks: every connection here is used by one flow at a time (the writer under its lock,
    /// a reader per call), which is what multi-thread mode asks, so the default serialized mode's mutex around every call
    /// and the allocator's global one (memory statistics, which nothing reads) were pure cost. Measured in turn: 20-event
    /// appends 198,500–213,700 against 192,200–203,500 events/s; the rebuild's reading of 10.3 M events 16.7–17.7 against
    /// 19.0–19.4 s. Only possible before SQLite's first use in the process; later it is refused, harmlessly.
    /// </summary>
    static SqliteCdpStore()
    {
        Batteries_V2.Init();
        raw.sqlite3_config(raw.SQLITE_CONFIG_MULTITHREAD);
        raw.sqlite3_config(raw.SQLITE_CONFIG_MEMSTATUS, 0);
    }

    private SqliteCdpStore(string connectionString, SqliteConnection writer)
    {
        ConnectionString = connectionString;
        _writer = writer;
        Events = new SqliteEventLog(this);
        Sources = new SqliteSourceStore(this);
        Profiles = new SqliteProfileStore(this);
        Audiences = new SqliteAudienceStore(this);
        Analytics = new SqliteAnalyticsStore(this);
    }

    internal string ConnectionString { get; }

    /// <summary>What copies the log into the database file (null until the store is open).</summary>
    internal WalCheckpointer? Checkpointer => _checkpointer;

    public IEventLog Events { get; }

    public ISourceStore Sources { get; }

    public IProfileStore Profiles { get; }

    public IAudienceStore Audiences { get; }

    public IAnalyticsStore Analytics { get; }

    /// <summary>
    /// Each commit rewrites most pages of the profiles and timeline tables, so few large ones are cheapest. The 10.3 M
    /// demo year rebuilt with 2,000,000 in 51.0–57.6 s against 54.3–61.4 s with 1,000,000 (four pairs in turn; 4,000,000
    /// no faster), ~40 MB more at peak; appends wait for a commit (~2.5 s) while the pipeline catches up.
    /// </summary>
    public int EventsPerCatchUpCommit => 2_000_000;

    /// <summary>Opens (creating if needed) <c>samlet.db</c> in <paramref name="dataDirectory"/>.</summary>
    public static async Task<SqliteCdpStore> OpenAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "samlet.db"),
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        var writer = new SqliteConnection(connectionString);
        await writer.OpenAsync(cancellationToken);
        // FULL: a commit is on disk before it returns, so an acknowledged event survives power loss, not only a crash.
        // 16 KB pages (set before the first table exists) suit ~1 KB event rows: appends measured ~1.6x faster than 4 KB.
        // A 128 MB page cache for the writer (default 2 MB): the pipeline's inserts into profile and timeline indexes
        // re-read pages from the kernel otherwise; rebuild of 1.2 M demo events measured 40,500 vs 37,100 events/s,
        // system CPU 10.4 vs 14.0 s. (mmap for readers made no difference: their caches are dropped at every commit.)
        // Checkpoints run beside the writer (WalCheckpointer), not in its commits: 1.2 M events rebuilt in 27 s instead of
        // 30–33 s, and 20-event appends with the pipeline off 113–123k instead of 83–101k events/s. A restart leaves the log
        // file as it is up to 256 MB (it reaches ~90 MB between restarts): cutting it back to 64 MB made the writer's next
        // commit wait ~10 ms for the file system.
        await ExecuteAsync(writer, "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON; PRAGMA busy_timeout=30000; PRAGMA cache_size=-131072; PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit=268435456;", cancellationToken);
        var store = new SqliteCdpStore(connectionString, writer);
        store._databaseFile = new FileStream(Path.Combine(dataDirectory, "samlet.db"), FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        store._checkpointer = await WalCheckpointer.StartAsync(store, store._databaseFile, cancellationToken);
        return store;
    }

    public Task<ILease?> TryLeaseAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(SqliteLease.TryTake(new SqliteConnectionStringBuilder(ConnectionString).DataSource, name));

    public Task MigrateAsync(CancellationToken cancellationToken) =>
        WriteAsync(connection => SqliteMigrations.ApplyAsync(connection, cancellationToken), cancellationToken);

    // Derived state can always be derived again, and its checkpoint commits with it: a pipeline commit that a power
    // cut (not a crash) takes back is redone from the log. So these commits skip the fsync that event appends need —
    // except an unmerge's, whose cut is not derivable and was promised to the caller.
    public Task ApplyAsync(Pipeline.ChangeSet changes, CancellationToken cancellationToken) => ApplyAsync([changes], cancellationToken);

    public Task ApplyAsync(IReadOnlyList<Pipeline.ChangeSet> changes, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            await ExecuteAsync(connection, changes.Any(c => c.Cuts.Count > 0) ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL", cancellationToken);
            try
            {
                await SqliteChangeWriter.ApplyAsync(connection, changes, cancellationToken);
            }
            finally
            {
                await ExecuteAsync(connection, "PRAGMA synchronous=FULL", CancellationToken.None);
            }
        }, cancellationToken);

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenReaderAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            return await command.ExecuteScalarAsync(cancellationToken) is 1L;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    /// <summary>Runs <paramref name="work"/> on the writer connection, one at a time; fails once the store is disposed.</summary>
    internal async Task<T> WriteAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
            return await work(_writer);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    internal Task WriteAsync(Func<SqliteConnection, Task> work, CancellationToken cancellationToken) =>
        WriteAsync(async connection => { await work(connection); return true; }, cancellationToken);

    internal async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    internal static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="work"/> between <c>BEGIN IMMEDIATE</c> and <c>COMMIT</c> (rolled back on failure).
    /// Plain statements rather than ADO.NET transactions, so commands need no transaction object.
    /// </summary>
    internal static async Task InTransactionAsync(SqliteConnection connection, Func<Task> work, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, "BEGIN IMMEDIATE", cancellationToken);
        try
        {
            await work();
            await ExecuteAsync(connection, "COMMIT", cancellationToken);
        }
        catch
        {
            await ExecuteAsync(connection, "ROLLBACK", CancellationToken.None);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (_checkpointer is not null)
        {
            await _checkpointer.DisposeAsync();
        }

        // The lock is released, not disposed: a write already waiting for it (a group commit's first load racing a shutdown)
        // gets it next and fails, where a disposed semaphore would have left it waiting forever.
        await _writeLock.WaitAsync();
        try
        {
            await _writer.DisposeAsync();
        }
        finally
        {
            _writeLock.Release();
        }

        SqliteConnection.ClearAllPools();
        // Last: closing it drops the process's POSIX locks on the file, which SQLite's connections hold until they close.
        _databaseFile?.Dispose();
    }
}
