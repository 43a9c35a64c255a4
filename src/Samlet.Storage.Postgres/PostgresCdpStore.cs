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
        Events = new PostgresEventLog(dataSource);
        Sources = new PostgresSourceStore(dataSource);
    }

    internal NpgsqlDataSource DataSource { get; }

    public IEventLog Events { get; }

    public ISourceStore Sources { get; }

    // Interim: the PostgreSQL profile store is being written; until then the pipeline cannot run on PostgreSQL.
    public IProfileStore Profiles => throw new NotSupportedException("Profiles are not yet stored in PostgreSQL.");

    public Task ApplyAsync(Pipeline.ChangeSet changes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Profiles are not yet stored in PostgreSQL.");

    /// <summary>Prepares the pool for <paramref name="connectionString"/> (an Npgsql connection string); connects lazily.</summary>
    public static Task<PostgresCdpStore> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.ApplicationName ??= "samlet";
        return Task.FromResult(new PostgresCdpStore(builder.Build()));
    }

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
