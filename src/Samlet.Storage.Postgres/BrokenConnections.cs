using System.Net.Sockets;
using Npgsql;

namespace Samlet.Storage.Postgres;

/// <summary>
/// Npgsql learns that a pooled connection died (the server restarted, a failover) only when it next uses it, so after
/// an outage every idle connection would fail one operation. Operations that are safe to repeat — reads, and appends
/// that failed before their COMMIT was sent — clear the pool and run once more when they meet a dead connection.
/// </summary>
internal static class BrokenConnections
{
    public static async Task<T> RetryOnceAsync<T>(NpgsqlDataSource dataSource, Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (NpgsqlException e) when (IsBroken(e))
        {
            dataSource.Clear();
            return await work();
        }
    }

    /// <summary>Class 08 (connection exception), 57P01–57P03 (the server shut down), or a failed socket.</summary>
    public static bool IsBroken(NpgsqlException e) => e switch
    {
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState is "57P01" or "57P02" or "57P03",
        _ => e.InnerException is IOException or SocketException || e.IsTransient,
    };
}
