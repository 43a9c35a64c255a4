using Npgsql;

namespace Samlet.Storage.Postgres;

/// <summary>Runs a query with positional parameters and reads every row; retried once on a broken pooled connection.</summary>
internal static class RowQueries
{
    public static async Task<List<T>> QueryAsync<T>(this NpgsqlDataSource dataSource, string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new() { Value = value });
        }

        return await BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            var rows = new List<T>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(read(reader));
            }

            return rows;
        });
    }
}
