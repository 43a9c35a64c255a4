using System.Text.Json;
using Samlet.Analytics.Attribution;
using Samlet.Analytics.Baskets;
using Samlet.Analytics.Rfm;

namespace Samlet.Analytics;

/// <summary>The JSON of RFM bins, rules and attribution, one shape for the CLI on files and for the platform's analytics runs.</summary>
public static class AnalyticsJson
{
    private static readonly AttributionModel[] _models = Enum.GetValues<AttributionModel>();

    public static void WriteRule(Utf8JsonWriter json, AssociationRule rule)
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

    /// <summary>The report's members (paths, totals, channels, credits per model, the Markov model) into the current object.</summary>
    public static void WriteAttribution(Utf8JsonWriter json, AttributionReport report)
    {
        json.WriteNumber("paths", report.PathCount);
        json.WriteNumber("totalConversions", report.TotalConversions);
        json.WriteNumber("totalConversionValue", report.TotalConversionValue);
        json.WriteNumber("totalNulls", report.TotalNulls);
        json.WriteStartArray("channels");
        foreach (var channel in report.Channels)
        {
            json.WriteStringValue(channel);
        }

        json.WriteEndArray();
        json.WriteStartObject("models");
        foreach (var model in _models)
        {
            json.WriteStartArray(AttributionAnalysis.Name(model));
            foreach (var credit in report.Credits[model])
            {
                json.WriteStartObject();
                json.WriteString("channel", credit.Channel);
                json.WriteNumber("conversions", credit.Conversions);
                json.WriteNumber("conversionValue", credit.ConversionValue);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.WriteStartObject("markov");
        json.WriteNumber("conversionProbability", report.Markov.ConversionProbability);
        json.WriteNumber("expectedValue", report.Markov.ExpectedValue);
        json.WriteStartArray("removalEffects");
        foreach (var channel in report.Markov.Channels)
        {
            json.WriteStartObject();
            json.WriteString("channel", channel.Channel);
            json.WriteNumber("removalEffect", channel.RemovalEffect);
            json.WriteNumber("valueRemovalEffect", channel.ValueRemovalEffect);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("transitions");
        foreach (var transition in report.Markov.Transitions)
        {
            json.WriteStartObject();
            json.WriteString("from", transition.From);
            json.WriteString("to", transition.To);
            json.WriteNumber("probability", transition.Probability);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>One dimension's bins: <c>{"lower": […], "upper": […]}</c>, bin i being [lower[i], upper[i]).</summary>
    public static void WriteBins(Utf8JsonWriter json, string name, RfmBinEdges edges)
    {
        json.WriteStartObject(name);
        WriteNumbers(json, "lower", edges.Lower);
        WriteNumbers(json, "upper", edges.Upper);
        json.WriteEndObject();
    }

    /// <summary>A property holding an array of numbers.</summary>
    public static void WriteNumbers(Utf8JsonWriter json, string name, IEnumerable<double> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteNumberValue(value);
        }

        json.WriteEndArray();
    }
}
