using System.CommandLine;
using System.Text.Json;
using Samlet.Analytics.Baskets;
using Samlet.Server.Cli.Analytics;
using Spectre.Console;

namespace Samlet.Server.Cli;

/// <summary><c>samlet analytics basket</c>: association rules ("bought together") from a basket file.</summary>
internal static class BasketCommand
{
    private const int MinimumTableWidth = 120;

    public static Command Create()
    {
        var baskets = new Option<string>("--baskets")
        {
            Description = "Basket file: one basket per line, items separated by commas.",
            Required = true,
        };
        var minSupport = new Option<double>("--min-support")
        {
            Description = "Minimum support of a rule's itemset, as a fraction of baskets in (0, 1].",
            Required = true,
        };
        var minConfidence = new Option<double>("--min-confidence")
        {
            Description = "Minimum confidence of a rule, in [0, 1].",
            Required = true,
        };
        var maxLength = new Option<int>("--max-length")
        {
            Description = "Maximum items in a rule, antecedent and consequent together (arules' maxlen).",
            DefaultValueFactory = _ => 10,
        };
        var format = new OutputFormatOption(OutputFormat.Table);

        var command = new Command("basket", "Mine association rules (FP-growth) with support, confidence, lift, leverage and conviction.")
        {
            baskets, minSupport, minConfidence, maxLength, format,
        };
        command.Action = new InputCheckedAction((parse, output) =>
        {
            var support = parse.GetValue(minSupport);
            var confidence = parse.GetValue(minConfidence);
            var length = parse.GetValue(maxLength);
            if (!(support > 0 && support <= 1))
            {
                throw new UsageException($"--min-support must be a fraction in (0, 1]; got {ReportText.RoundTrip(support)}.");
            }

            if (!(confidence >= 0 && confidence <= 1))
            {
                throw new UsageException($"--min-confidence must be in [0, 1]; got {ReportText.RoundTrip(confidence)}.");
            }

            if (length < 1)
            {
                throw new UsageException($"--max-length must be at least 1; got {length}.");
            }

            var file = parse.GetValue(baskets)!;
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"The basket file '{file}' does not exist.");
            }

            var transactions = BasketFile.Read(file);
            var options = new AssociationRuleOptions(support, confidence) { MaxLength = length };
            var result = AssociationRuleMiner.Mine(transactions, options);
            switch (format.ValueIn(parse))
            {
                case OutputFormat.Json:
                    WriteJson(output, result, options);
                    break;
                case OutputFormat.Csv:
                    WriteCsv(output, result);
                    break;
                default:
                    WriteTable(output, result, options);
                    break;
            }
        });
        return command;
    }

    private static void WriteJson(TextWriter output, AssociationRuleResult result, AssociationRuleOptions options)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
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
                json.WriteStartObject();
                json.WriteStartArray("antecedent");
                foreach (var item in rule.Antecedent)
                {
                    json.WriteStringValue(item);
                }

                json.WriteEndArray();
                json.WriteString("consequent", rule.Consequent);
                json.WriteNumber("count", rule.Count);
                json.WriteNumber("support", rule.Support);
                json.WriteNumber("coverage", rule.Coverage);
                json.WriteNumber("confidence", rule.Confidence);
                json.WriteNumber("lift", rule.Lift);
                json.WriteNumber("leverage", rule.Leverage);
                if (double.IsPositiveInfinity(rule.Conviction))
                {
                    json.WriteNull("conviction"); // JSON has no infinity: null means the rule never fails
                }
                else
                {
                    json.WriteNumber("conviction", rule.Conviction);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteCsv(TextWriter output, AssociationRuleResult result)
    {
        output.WriteLine("antecedent,consequent,count,support,coverage,confidence,lift,leverage,conviction");
        foreach (var rule in result.Rules)
        {
            output.WriteLine(string.Join(
                ',',
                ReportText.CsvField("{" + string.Join(',', rule.Antecedent) + "}"),
                ReportText.CsvField(rule.Consequent),
                rule.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ReportText.RoundTrip(rule.Support),
                ReportText.RoundTrip(rule.Coverage),
                ReportText.RoundTrip(rule.Confidence),
                ReportText.RoundTrip(rule.Lift),
                ReportText.RoundTrip(rule.Leverage),
                ReportText.RoundTrip(rule.Conviction)));
        }
    }

    private static void WriteTable(TextWriter output, AssociationRuleResult result, AssociationRuleOptions options)
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
                rule.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        console.Write(table);
    }
}
