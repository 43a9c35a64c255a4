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

    public static string Format(IReadOnlyList<RunResult> results)
    {
        var rows = results.Select(Row).Prepend(_headers).ToList();
        var widths = _headers.Select((_, c) => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            // Text columns align left, figures right.
            text.AppendJoin("  ", row.Select((cell, c) => c < 2 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c])));
            text.Append('\n');
        }
        return text.ToString();
    }

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

    private static string F(double value, int decimals) => value.ToString("N" + decimals, CultureInfo.InvariantCulture);
}
