using Npgsql;

namespace Samlet.Storage.Postgres;

/// <summary>
/// The production store: PostgreSQL through one pooled <see cref="NpgsqlDataSource"/>. Every operation takes a pooled
/// connection for its duration, so a connection broken by a server restart is dropped and the next call reconnects.
/// </summary>
public sealed class PostgresCdpStore : ICdpStore
{
    private PostgresCdpStore(NpgsqlDataSource dataSource)
    {
        DataSource = dataSource;
        Partitions = new EventPartitions(dataSource);
        Events = new PostgresEventLog(dataSource, Partitions);
        Sources = new PostgresSourceStore(dataSource);
        Profiles = new PostgresProfileStore(dataSource);
        Audiences = new PostgresAudienceStore(dataSource);
        Analytics = new PostgresAnalyticsStore(dataSource);
    }

    internal NpgsqlDataSource DataSource { get; }

    /// <summary>Shared by appends and change sets (the pipeline's emitted events), so each remembers the months the other made.</summary>
    internal EventPartitions Partitions { get; }

    public IEventLog Events { get; }

    public ISourceStore Sources { get; }

    public IProfileStore Profiles { get; }

    public IAudienceStore Audiences { get; }

    public IAnalyticsStore Analytics { get; }

    /// <summary>
    /// PostgreSQL writes rows, not pages, so large commits save it nothing: with 1,000,000 events per commit a 10.3 M
    /// rebuild took 226–349 s, with 100,000 183 s.
    /// </summary>
    public int EventsPerCatchUpCommit => 100_000;

    public Task ApplyAsync(Pipeline.ChangeSet changes, CancellationToken cancellationToken) => ApplyAsync([changes], cancellationToken);

    public Task ApplyAsync(IReadOnlyList<Pipeline.ChangeSet> changes, CancellationToken cancellationToken) =>
        PostgresChangeWriter.ApplyAsync(DataSource, Partitions, changes, cancellationToken);

    internal const int WriteBufferSize = 65_536;

    /// <summary>Prepares the pool for <paramref name="connectionString"/> (an Npgsql connection string); connects lazily.</summary>
    public static Task<PostgresCdpStore> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.ApplicationName ??= "samlet";
        if (!builder.ConnectionStringBuilder.ShouldSerialize("Write Buffer Size"))
        {
            // A group commit sends ~250 KB of events: with Npgsql's 8 KB buffer that is ~30 socket writes, made before the
            // append's first await, while the next group waits. 64 KB: 0.58–0.66 instead of 0.78–0.88 ms per ~200-event
            // group, ~4 % more events/s on the mean of seven pairs (bench/README.md, 2026-12-08). A size set in the
            // connection string wins.
            builder.ConnectionStringBuilder.WriteBufferSize = WriteBufferSize;
        }

        return Task.FromResult(new PostgresCdpStore(builder.Build()));
    }

    public Task<ILease?> TryLeaseAsync(string name, CancellationToken cancellationToken) => PostgresLease.TryTakeAsync(DataSource, name, cancellationToken);

    public Task MigrateAsync(CancellationToken cancellationToken) => PostgresMigrations.ApplyAsync(DataSource, cancellationToken);

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = DataSource.CreateCommand("SELECT 1");
            return await BrokenConnections.RetryOnceAsync(DataSource, async () => await command.ExecuteScalarAsync(cancellationToken) is 1);
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
