using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Samlet.Storage.Postgres;

/// <summary>
/// A lease as a session-level advisory lock on a connection of its own: PostgreSQL releases it when that connection
/// ends, so an instance killed with -9 gives up its lease as soon as the server notices the closed socket.
/// </summary>
internal sealed class PostgresLease : ILease
{
    private readonly NpgsqlConnection _connection;
    private readonly long _key;

    private PostgresLease(NpgsqlConnection connection, long key) => (_connection, _key) = (connection, key);

    public static async Task<ILease?> TryTakeAsync(NpgsqlDataSource dataSource, string name, CancellationToken cancellationToken)
    {
        var key = Key(name);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var take = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection) { Parameters = { new() { Value = key } } };
            if (await take.ExecuteScalarAsync(cancellationToken) is true)
            {
                return new PostgresLease(connection, key);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    public async Task<bool> IsHeldAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var check = new NpgsqlCommand("SELECT 1", _connection);
            return await check.ExecuteScalarAsync(cancellationToken) is 1;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", _connection) { Parameters = { new() { Value = _key } } };
            await release.ExecuteScalarAsync();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // The connection is gone, and the lock with it.
        }

        await _connection.DisposeAsync();
    }

    // "SA" in the high bytes and 48 bits of the name's SHA-256: the pipeline alone takes 17 lease names, and 12 bits (as
    // before) gave two of them one key now and then. The store's transaction locks ("SAMLET" + 1..3) are never hit.
    internal static long Key(string name) =>
        unchecked((long)(0x5341000000000000UL | (BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(name))) & 0xFFFFFFFFFFFF)));
}
