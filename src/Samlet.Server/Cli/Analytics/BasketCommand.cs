using System.CommandLine;
using Samlet.Analytics.Baskets;

namespace Samlet.Server.Cli.Analytics;

/// <summary><c>samlet analytics basket</c>: association rules ("bought together") from a basket file.</summary>
internal static class BasketCommand
{
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
            BasketReportWriter.Write(AssociationRuleMiner.Mine(transactions, options), options, format.ValueIn(parse), output);
        });
        return command;
    }
}
