using Npgsql;

namespace Samlet.Tests.Shared;

/// <summary>
/// The PostgreSQL server the tests of this assembly share: <c>SAMLET_TEST_POSTGRES</c> (a connection string) when set,
/// otherwise one <see cref="PostgresCluster"/> started at first use and deleted when the test run ends. Each test gets
/// its own database. Without a server the tests fail with a message saying how to get one; they never skip.
/// </summary>
internal static class PostgresTestServer
{
    private static readonly Lazy<Task<string>> _server = new(StartAsync);

    /// <summary>Creates an empty database and returns a connection string for it.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var server = new NpgsqlConnectionStringBuilder(await _server.Value);
        var name = "samlet_test_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync(server.ConnectionString, $"CREATE DATABASE {name}");
        server.Database = name;
        return server.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing any connection still open to it.</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString);
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(await _server.Value, $"DROP DATABASE IF EXISTS {database.Database} WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("SAMLET_TEST_POSTGRES") is { Length: > 0 } configured)
        {
            return configured;
        }

        PostgresCluster cluster;
        try
        {
            cluster = await PostgresCluster.StartAsync();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                "The PostgreSQL tests need a server: set SAMLET_TEST_POSTGRES to a connection string, or install PostgreSQL " +
                "(apt-get install postgresql) so that they can start a throwaway cluster. " + e.Message, e);
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Dispose();
        return cluster.ConnectionString;
    }
}
