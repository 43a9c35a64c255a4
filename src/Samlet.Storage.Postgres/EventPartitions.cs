using System.Collections.Concurrent;
using System.Globalization;
using Npgsql;

namespace Samlet.Storage.Postgres;

/// <summary>
/// Creates the monthly partitions of <c>events</c> the appends need: the months of their <c>received_at</c>, and the
/// month after each, so the partition for next month exists before the first event of it arrives (no DDL, and no
/// ACCESS EXCLUSIVE lock on <c>events</c>, at the turn of the month). Months known to exist are remembered.
/// </summary>
internal sealed class EventPartitions(NpgsqlDataSource dataSource)
{
    private readonly ConcurrentDictionary<int, bool> _existing = new();

    public async Task EnsureAsync(IEnumerable<DateTimeOffset> receivedAt, CancellationToken cancellationToken)
    {
        List<int>? wanted = null;
        foreach (var time in receivedAt)
        {
            var month = MonthOf(time);
            foreach (var m in (ReadOnlySpan<int>)[month, month + 1])
            {
                if (!_existing.ContainsKey(m) && !(wanted?.Contains(m) ?? false))
                {
                    (wanted ??= []).Add(m);
                }
            }
        }

        if (wanted is null)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var missing = await MissingAsync(connection, wanted, cancellationToken);
        if (missing.Count > 0)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var batch = new NpgsqlBatch(connection);
            batch.BatchCommands.Add(new($"SELECT pg_advisory_xact_lock({AdvisoryLocks.Partitions})"));
            foreach (var month in missing)
            {
                // IF NOT EXISTS: another instance may have created it while we waited for the lock.
                batch.BatchCommands.Add(new($"""
                    CREATE TABLE IF NOT EXISTS {Name(month)} PARTITION OF events
                    FOR VALUES FROM ('{Start(month)}') TO ('{Start(month + 1)}')
                    """));
            }

            await batch.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        foreach (var month in wanted)
        {
            _existing[month] = true;
        }
    }

    private static async Task<List<int>> MissingAsync(NpgsqlConnection connection, List<int> months, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT n FROM unnest($1::text[]) AS n WHERE to_regclass(n) IS NULL", connection);
        command.Parameters.Add(new() { Value = months.Select(Name).ToArray() });
        var missing = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            missing.Add(reader.GetString(0));
        }

        return [.. months.Where(m => missing.Contains(Name(m))).Order()];
    }

    /// <summary>Months counted from year 0, so the month after December is simply the next number.</summary>
    private static int MonthOf(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return (utc.Year * 12) + utc.Month - 1;
    }

    internal static string Name(int month) => string.Create(CultureInfo.InvariantCulture, $"events_{month / 12:D4}_{(month % 12) + 1:D2}");

    private static string Start(int month) => string.Create(CultureInfo.InvariantCulture, $"{month / 12:D4}-{(month % 12) + 1:D2}-01 00:00:00+00");
}
