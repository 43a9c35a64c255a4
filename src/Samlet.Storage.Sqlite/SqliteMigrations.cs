using System.Reflection;
using Microsoft.Data.Sqlite;

namespace Samlet.Storage.Sqlite;

/// <summary>Applies the embedded <c>Migrations/NNNN_name.sql</c> files in order, each once, each in its own transaction.</summary>
internal static class SqliteMigrations
{
    public static async Task ApplyAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await SqliteCdpStore.ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)", cancellationToken);
        var assembly = typeof(SqliteMigrations).Assembly;
        foreach (var (version, name, resource) in Scripts(assembly))
        {
            // BEGIN IMMEDIATE takes the write lock first, so two processes starting at once apply each script once.
            await SqliteCdpStore.InTransactionAsync(connection, async () =>
            {
                await using var check = connection.CreateCommand();
                check.CommandText = "SELECT COUNT(*) FROM schema_migrations WHERE version = $v";
                check.Parameters.AddWithValue("$v", version);
                if ((long)(await check.ExecuteScalarAsync(cancellationToken))! > 0)
                {
                    return;
                }

                await using (var stream = assembly.GetManifestResourceStream(resource)!)
                using (var reader = new StreamReader(stream))
                {
                    await SqliteCdpStore.ExecuteAsync(connection, await reader.ReadToEndAsync(cancellationToken), cancellationToken);
                }

                await using var record = connection.CreateCommand();
                record.CommandText = "INSERT INTO schema_migrations (version, name) VALUES ($v, $n)";
                record.Parameters.AddWithValue("$v", version);
                record.Parameters.AddWithValue("$n", name);
                await record.ExecuteNonQueryAsync(cancellationToken);
            }, cancellationToken);
        }
    }

    private static IEnumerable<(int Version, string Name, string Resource)> Scripts(Assembly assembly) =>
        assembly.GetManifestResourceNames()
            .Where(r => r.EndsWith(".sql", StringComparison.Ordinal) && r.Contains(".Migrations.", StringComparison.Ordinal))
            .Select(r =>
            {
                var file = r[(r.IndexOf(".Migrations.", StringComparison.Ordinal) + ".Migrations.".Length)..];
                return (int.Parse(file[..4], System.Globalization.CultureInfo.InvariantCulture), file, r);
            })
            .OrderBy(s => s.Item1);
}
