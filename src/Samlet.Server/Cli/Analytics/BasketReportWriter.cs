using System.Globalization;
using Samlet.Analytics;
using Samlet.Analytics.Baskets;
using Spectre.Console;

namespace Samlet.Server.Cli.Analytics;

/// <summary>Writes mined association rules as JSON (everything), CSV (one row per rule) or a table.</summary>
internal static class BasketReportWriter
{
    private const int MinimumTableWidth = 120;

    public static void Write(AssociationRuleResult result, AssociationRuleOptions options, OutputFormat format, TextWriter output)
    {
        switch (format)
        {
            case OutputFormat.Json:
                WriteJson(result, options, output);
                break;
            case OutputFormat.Csv:
                WriteCsv(result, output);
                break;
            default:
                WriteTable(result, options, output);
                break;
        }
    }

    private static void WriteJson(AssociationRuleResult result, AssociationRuleOptions options, TextWriter output)
    {
        using var writer = new ChunkedJsonWriter(output);
        var json = writer.Json;
        json.WriteStartObject();
        json.WriteNumber("transactions", result.TransactionCount);
        json.WriteNumber("items", result.ItemCount);
        json.WriteNumber("minSupport", options.MinSupport);
        json.WriteNumber("minConfidence", options.MinConfidence);
        json.WriteNumber("maxLength", options.MaxLength);
        json.WriteNumber("minCount", result.MinCount);
        json.WriteNumber("frequentItemsets", result.Itemsets.Count);
        json.WriteNumber("ruleCount", result.Rules.Count);
        json.WriteStartArray("rules");
        foreach (var rule in result.Rules)
        {
            writer.DrainWhenFull();
            AnalyticsJson.WriteRule(json, rule);
        }

        json.WriteEndArray();
        json.WriteEndObject();

        writer.Complete();
    }

    private static void WriteCsv(AssociationRuleResult result, TextWriter output)
    {
        output.WriteLine("antecedent,consequent,count,support,coverage,confidence,lift,leverage,conviction");
        foreach (var rule in result.Rules)
        {
            output.WriteLine(string.Join(
                ',',
                ReportText.CsvField("{" + string.Join(',', rule.Antecedent) + "}"),
                ReportText.CsvField(rule.Consequent),
                rule.Count.ToString(CultureInfo.InvariantCulture),
                ReportText.RoundTrip(rule.Support),
                ReportText.RoundTrip(rule.Coverage),
                ReportText.RoundTrip(rule.Confidence),
                ReportText.RoundTrip(rule.Lift),
                ReportText.RoundTrip(rule.Leverage),
                ReportText.RoundTrip(rule.Conviction)));
        }
    }

    private static void WriteTable(AssociationRuleResult result, AssociationRuleOptions options, TextWriter output)
    {
        var console = ReportText.PlainConsole(output, MinimumTableWidth);
        console.WriteLine(
            $"{result.TransactionCount} baskets, {result.ItemCount} items; support >= {ReportText.RoundTrip(options.MinSupport)} "
            + $"({result.MinCount} baskets), confidence >= {ReportText.RoundTrip(options.MinConfidence)}: "
            + $"{result.Itemsets.Count} frequent itemsets, {result.Rules.Count} rules.");
        if (result.Rules.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumns("antecedent", "consequent", "support", "confidence", "lift", "leverage", "conviction", "count");
        foreach (var rule in result.Rules)
        {
            table.AddTextRow(
                "{" + string.Join(", ", rule.Antecedent) + "}",
                rule.Consequent,
                ReportText.Rounded(rule.Support, 5),
                ReportText.Rounded(rule.Confidence, 4),
                ReportText.Rounded(rule.Lift, 3),
                ReportText.Rounded(rule.Leverage, 5),
                ReportText.Rounded(rule.Conviction, 3),
                rule.Count.ToString(CultureInfo.InvariantCulture));
        }

        console.Write(table);
    }
}
