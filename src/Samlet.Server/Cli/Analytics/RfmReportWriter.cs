using System.Globalization;
using Samlet.Analytics;
using Samlet.Analytics.Rfm;
using Spectre.Console;

namespace Samlet.Server.Cli.Analytics;

/// <summary>Writes an <see cref="RfmResult"/> as JSON (everything), CSV (one row per customer) or tables (segments and bins).</summary>
internal static class RfmReportWriter
{
    private const int MinimumTableWidth = 160;

    public static void Write(RfmResult result, OutputFormat format, TextWriter output)
    {
        switch (format)
        {
            case OutputFormat.Json:
                WriteJson(result, output);
                break;
            case OutputFormat.Csv:
                WriteCsv(result, output);
                break;
            default:
                WriteTables(result, output);
                break;
        }
    }

    private static void WriteJson(RfmResult result, TextWriter output)
    {
        using var writer = new ChunkedJsonWriter(output);
        var json = writer.Json;
        json.WriteStartObject();
        json.WriteString("asOf", ReportText.Date(result.AsOf));
        json.WriteNumber("customerCount", result.Customers.Count);
        json.WriteStartObject("bins");
        AnalyticsJson.WriteBins(json, "recency", result.Recency);
        AnalyticsJson.WriteBins(json, "frequency", result.Frequency);
        AnalyticsJson.WriteBins(json, "monetary", result.Monetary);
        json.WriteEndObject();
        json.WriteStartArray("segments");
        foreach (var (name, count) in Segments(result))
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteNumber("customers", count);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("customers");
        foreach (var c in result.Customers)
        {
            writer.DrainWhenFull();
            json.WriteStartObject();
            json.WriteString("id", c.CustomerId);
            json.WriteString("lastOrder", ReportText.Date(c.LastOrder));
            json.WriteNumber("recencyDays", c.RecencyDays);
            json.WriteNumber("frequency", c.Frequency);
            json.WriteNumber("monetary", c.Monetary);
            json.WriteNumber("recencyScore", c.RecencyScore);
            json.WriteNumber("frequencyScore", c.FrequencyScore);
            json.WriteNumber("monetaryScore", c.MonetaryScore);
            json.WriteNumber("rfmScore", c.Score);
            json.WriteString("segment", c.Segment);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();

        writer.Complete();
    }

    private static void WriteCsv(RfmResult result, TextWriter output)
    {
        output.WriteLine("id,last_order,recency_days,frequency,monetary,recency_score,frequency_score,monetary_score,rfm_score,segment");
        foreach (var c in result.Customers)
        {
            output.WriteLine(string.Join(',',
                ReportText.CsvField(c.CustomerId), ReportText.Date(c.LastOrder), ReportText.SixDecimals(c.RecencyDays), ReportText.SixDecimals(c.Frequency), ReportText.SixDecimals(c.Monetary),
                ReportText.SixDecimals(c.RecencyScore), ReportText.SixDecimals(c.FrequencyScore), ReportText.SixDecimals(c.MonetaryScore), ReportText.SixDecimals(c.Score), ReportText.CsvField(c.Segment)));
        }
    }

    private static void WriteTables(RfmResult result, TextWriter output)
    {
        var console = ReportText.PlainConsole(output, MinimumTableWidth);
        var segments = new Table().AddColumns("segment", "customers", "share");
        foreach (var (name, count) in Segments(result))
        {
            segments.AddTextRow(name, ReportText.SixDecimals(count), ((double)count / result.Customers.Count).ToString("P1", CultureInfo.InvariantCulture));
        }

        console.WriteLine($"RFM as of {ReportText.Date(result.AsOf)}: {result.Customers.Count} customers");
        console.Write(segments);
        var bins = new Table().AddColumns("score", "recency days", "orders", "revenue");
        var scores = result.Recency.Lower.Count;
        for (var k = 0; k < scores; k++)
        {
            // Recency bin k holds the score (scores − k); show every dimension's range for the same score.
            var r = scores - 1 - k;
            bins.AddTextRow(ReportText.SixDecimals(k + 1), Range(result.Recency, r), Range(result.Frequency, k), Range(result.Monetary, k));
        }

        console.Write(bins);
    }

    private static IEnumerable<(string Name, int Count)> Segments(RfmResult result) =>
        result.Customers.GroupBy(c => c.Segment).Select(g => (g.Key, g.Count())).OrderByDescending(s => s.Item2).ThenBy(s => s.Key, StringComparer.Ordinal);

    private static string Range(RfmBinEdges edges, int bin) =>
        bin < edges.Lower.Count ? $"[{ReportText.SixDecimals(edges.Lower[bin])}, {ReportText.SixDecimals(edges.Upper[bin])})" : "";


}
