using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Samlet.Benchmarks.Load;

/// <summary>Prints results as an aligned table and writes them as JSON.</summary>
internal static class ResultTable
{
    private static readonly string[] _headers =
    [
        "target", "mode", "batch", "conns", "req/s", "acked ev/s", "vs ceil", "errors",
        "p50 ms", "p90 ms", "p99 ms", "max ms", "lag p50/p99", "gen CPU", "CPU µs/req",
    ];

    public static string Format(IReadOnlyList<RunResult> results) => Align([_headers, .. results.Select(Row)], textColumns: 2);

    /// <summary>Rows (the first is the header) as aligned text: the first <paramref name="textColumns"/> left, figures right.</summary>
    public static string Align(IReadOnlyList<string[]> rows, int textColumns)
    {
        var widths = rows[0].Select((_, c) => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.AppendJoin("  ", row.Select((cell, c) => c < textColumns ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c])));
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Counts per HTTP status other than 200 ("404:3 conn:1"), or "0".</summary>
    public static string Errors(WorkerStats stats)
    {
        var errors = stats.Statuses
            .Select((count, status) => (count, status))
            .Where(x => x.count > 0 && x.status != 200)
            .Select(x => $"{StatusName(x.status)}:{x.count}")
            .ToList();
        return errors.Count == 0 ? "0" : string.Join(' ', errors);
    }

    public static string StatusName(int status) => status switch
    {
        WorkerStats.ConnectionError => "conn",
        WorkerStats.Timeout => "timeout",
        _ => status.ToString(CultureInfo.InvariantCulture),
    };

    public static string F(double value, int decimals) => value.ToString("N" + decimals, CultureInfo.InvariantCulture);

    public static async Task WriteJsonAsync(string file, IReadOnlyList<RunResult> results)
    {
        await using var stream = File.Create(file);
        await JsonSerializer.SerializeAsync(stream, results.ToList(), LoadJsonContext.Default.ListRunResult);
    }

    private static string[] Row(RunResult r) =>
    [
        r.Target,
        r.TargetRate is double rate ? $"open {F(rate, 0)}/s" : "closed",
        r.BatchSize.ToString(CultureInfo.InvariantCulture),
        r.Connections.ToString(CultureInfo.InvariantCulture),
        F(r.RequestsPerSecond, 0),
        F(r.AckedEventsPerSecond, 0),
        r.CeilingRatio is double ratio ? F(ratio, 2) : "",
        r.Errors.Count == 0 ? "0" : string.Join(' ', r.Errors.Select(e => $"{e.Key}:{e.Value}")),
        F(r.P50Ms, 2),
        F(r.P90Ms, 2),
        F(r.P99Ms, 2),
        F(r.MaxMs, 1),
        r.TargetRate is null ? "" : $"{F(r.StartLagP50Ms, 2)}/{F(r.StartLagP99Ms, 2)}",
        F(r.CpuPercentOfOneCore, 0) + "%",
        F(r.CpuMicrosPerRequest, 1),
    ];

}
