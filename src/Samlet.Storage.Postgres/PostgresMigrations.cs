using System.Globalization;
using System.Reflection;
using Npgsql;

namespace Samlet.Storage.Postgres;

/// <summary>
/// Applies the embedded <c>Migrations/NNNN_name.sql</c> files in order, each once, in one transaction that first takes
/// an advisory lock: two instances starting at once wait for each other, and a failed script leaves nothing behind.
/// </summary>
internal static class PostgresMigrations
{
    /// <param name="through">Tests only: stop after this version, to test the next script on data of the version before.</param>
    public static async Task ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken, int through = int.MaxValue)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"""
            SELECT pg_advisory_xact_lock({AdvisoryLocks.Migrations});
            CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL);
            """, cancellationToken);

        var applied = new HashSet<int>();
        await using (var query = new NpgsqlCommand("SELECT version FROM schema_migrations", connection))
        await using (var reader = await query.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        var assembly = typeof(PostgresMigrations).Assembly;
        foreach (var (version, name, resource) in Scripts(assembly).Where(s => !applied.Contains(s.Version) && s.Version <= through))
        {
            await using (var stream = assembly.GetManifestResourceStream(resource)!)
            using (var text = new StreamReader(stream))
            {
                await ExecuteAsync(connection, await text.ReadToEndAsync(cancellationToken), cancellationToken);
            }

            await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", connection);
            record.Parameters.Add(new() { Value = version });
            record.Parameters.Add(new() { Value = name });
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static IEnumerable<(int Version, string Name, string Resource)> Scripts(Assembly assembly) =>
        assembly.GetManifestResourceNames()
            .Where(r => r.EndsWith(".sql", StringComparison.Ordinal) && r.Contains(".Migrations.", StringComparison.Ordinal))
            .Select(r =>
            {
                var file = r[(r.IndexOf(".Migrations.", StringComparison.Ordinal) + ".Migrations.".Length)..];
                return (int.Parse(file[..4], CultureInfo.InvariantCulture), file, r);
            })
            .OrderBy(s => s.Item1);
}
