using System.Buffers;
using System.Text;
using System.Text.Json;
using Samlet.Audiences;

namespace Samlet.Analytics.Runs;

/// <summary>
/// Analytics settings as JSON: absent properties keep their defaults, unknown ones are refused, and every problem is
/// listed with a JSON pointer (as for definitions).
/// </summary>
public static class AnalyticsSettingsJson
{
    private const int MaxFunnels = 20;
    private const int MaxSteps = 20;

    private static readonly string[] _properties =
    [
        "enabled", "intervalHours", "orderEvent", "revenueProperties", "conversionEvent", "model", "holdoutDays",
        "annualDiscountRate", "highChurnBelow", "mediumChurnBelow", "minSupport", "minConfidence", "recommendations",
        "reportedRules", "lookbackDays", "halfLifeDays", "funnels", "cohortPeriod", "activityEvent", "writeTraits",
    ];

    public static Parsed<AnalyticsSettings> Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            return new(null, [new DefinitionProblem("", $"not valid JSON: {e.Message}")]);
        }

        using (document)
        {
            var root = document.RootElement;
            var reader = new DefinitionReader();
            if (root.ValueKind != JsonValueKind.Object)
            {
                reader.Add("", "analytics settings are a JSON object");
                return new(null, reader.Problems);
            }

            reader.RefuseUnknown(root, "", _properties, "analytics settings");
            var d = AnalyticsSettings.Default;
            var settings = new AnalyticsSettings
            {
                Enabled = Bool(reader, root, "enabled") ?? d.Enabled,
                IntervalHours = Number(reader, root, "intervalHours", 0.1, 24 * 366) ?? d.IntervalHours,
                OrderEvent = reader.Name(root, "", "orderEvent", false) ?? d.OrderEvent,
                RevenueProperties = Names(reader, root, "", "revenueProperties", 10) ?? d.RevenueProperties,
                ConversionEvent = reader.Name(root, "", "conversionEvent", false),
                Model = reader.Text(root, "", "model", false, m => m is "bgnbd" or "paretonbd", "use bgnbd or paretonbd") ?? d.Model,
                HoldoutDays = (int?)Number(reader, root, "holdoutDays", 7, 3650, whole: true) ?? d.HoldoutDays,
                AnnualDiscountRate = Number(reader, root, "annualDiscountRate", 0, 10) ?? d.AnnualDiscountRate,
                HighChurnBelow = Number(reader, root, "highChurnBelow", 0, 1) ?? d.HighChurnBelow,
                MediumChurnBelow = Number(reader, root, "mediumChurnBelow", 0, 1) ?? d.MediumChurnBelow,
                MinSupport = Number(reader, root, "minSupport", double.Epsilon, 1) ?? d.MinSupport,
                MinConfidence = Number(reader, root, "minConfidence", 0, 1) ?? d.MinConfidence,
                Recommendations = (int?)Number(reader, root, "recommendations", 0, 50, whole: true) ?? d.Recommendations,
                ReportedRules = (int?)Number(reader, root, "reportedRules", 0, 10_000, whole: true) ?? d.ReportedRules,
                LookbackDays = (int?)Number(reader, root, "lookbackDays", 1, 3650, whole: true) ?? d.LookbackDays,
                HalfLifeDays = Number(reader, root, "halfLifeDays", 0.01, 3650) ?? d.HalfLifeDays,
                Funnels = Funnels(reader, root) ?? d.Funnels,
                CohortPeriod = reader.Text(root, "", "cohortPeriod", false, p => p is "week" or "month", "use week or month") ?? d.CohortPeriod,
                ActivityEvent = reader.Name(root, "", "activityEvent", false),
                WriteTraits = Bool(reader, root, "writeTraits") ?? d.WriteTraits,
            };
            if (settings.HighChurnBelow > settings.MediumChurnBelow)
            {
                reader.Add("/highChurnBelow", $"highChurnBelow ({settings.HighChurnBelow}) must not be above mediumChurnBelow ({settings.MediumChurnBelow})");
            }

            return reader.Problems.Count == 0 ? new(settings, []) : new(null, reader.Problems);
        }
    }

    public static string Write(AnalyticsSettings settings)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            Write(json, settings);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void Write(Utf8JsonWriter json, AnalyticsSettings settings)
    {
        json.WriteStartObject();
        json.WriteBoolean("enabled", settings.Enabled);
        json.WriteNumber("intervalHours", settings.IntervalHours);
        json.WriteString("orderEvent", settings.OrderEvent);
        Strings(json, "revenueProperties", settings.RevenueProperties);
        json.WriteString("conversionEvent", settings.Conversion);
        json.WriteString("model", settings.Model);
        json.WriteNumber("holdoutDays", settings.HoldoutDays);
        json.WriteNumber("annualDiscountRate", settings.AnnualDiscountRate);
        json.WriteNumber("highChurnBelow", settings.HighChurnBelow);
        json.WriteNumber("mediumChurnBelow", settings.MediumChurnBelow);
        json.WriteNumber("minSupport", settings.MinSupport);
        json.WriteNumber("minConfidence", settings.MinConfidence);
        json.WriteNumber("recommendations", settings.Recommendations);
        json.WriteNumber("reportedRules", settings.ReportedRules);
        json.WriteNumber("lookbackDays", settings.LookbackDays);
        json.WriteNumber("halfLifeDays", settings.HalfLifeDays);
        json.WriteStartArray("funnels");
        foreach (var funnel in settings.Funnels)
        {
            json.WriteStartObject();
            json.WriteString("name", funnel.Name);
            Strings(json, "steps", funnel.Steps);
            json.WriteNumber("windowDays", funnel.WindowDays);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("cohortPeriod", settings.CohortPeriod);
        if (settings.ActivityEvent is null)
        {
            json.WriteNull("activityEvent");
        }
        else
        {
            json.WriteString("activityEvent", settings.ActivityEvent);
        }

        json.WriteBoolean("writeTraits", settings.WriteTraits);
        json.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static bool? Bool(DefinitionReader reader, JsonElement obj, string name)
    {
        if (DefinitionReader.Optional(obj, name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        reader.Add(DefinitionReader.Pointer("", name), $"'{name}' must be true or false");
        return null;
    }

    private static double? Number(DefinitionReader reader, JsonElement obj, string name, double min, double max, bool whole = false, string path = "")
    {
        if (DefinitionReader.Optional(obj, name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && number >= min && number <= max
            && (!whole || number == Math.Floor(number)))
        {
            return number;
        }

        reader.Add(DefinitionReader.Pointer(path, name), $"'{name}' must be a {(whole ? "whole number" : "number")} from {min:G4} to {max:G6}");
        return null;
    }

    private static IReadOnlyList<string>? Names(DefinitionReader reader, JsonElement obj, string path, string name, int max)
    {
        if (DefinitionReader.Optional(obj, name) is not { } value)
        {
            return null;
        }

        var at = DefinitionReader.Pointer(path, name);
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is 0 || value.GetArrayLength() > max
            || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String || v.GetString()!.Trim().Length == 0 || v.GetString()!.Length > DefinitionReader.MaxNameLength))
        {
            reader.Add(at, $"'{name}' must be an array of 1 to {max} non-empty names");
            return null;
        }

        return [.. value.EnumerateArray().Select(v => v.GetString()!)];
    }

    private static IReadOnlyList<FunnelSettings>? Funnels(DefinitionReader reader, JsonElement root)
    {
        if (DefinitionReader.Optional(root, "funnels") is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > MaxFunnels)
        {
            reader.Add("/funnels", $"'funnels' must be an array of at most {MaxFunnels} funnels like {{\"name\": \"Purchase\", \"steps\": [\"Product Viewed\", \"Order Completed\"], \"windowDays\": 7}}");
            return null;
        }

        var funnels = new List<FunnelSettings>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var path = DefinitionReader.Pointer("/funnels", i++);
            if (item.ValueKind != JsonValueKind.Object)
            {
                reader.Add(path, "a funnel is an object {\"name\", \"steps\", \"windowDays\"}");
                continue;
            }

            reader.RefuseUnknown(item, path, ["name", "steps", "windowDays"], "a funnel");
            var name = reader.Name(item, path, "name", required: true);
            var steps = Names(reader, item, path, "steps", MaxSteps);
            if (steps is null && DefinitionReader.Optional(item, "steps") is null)
            {
                reader.Add(path, "missing 'steps': the track events of the funnel, in order");
            }

            var window = Number(reader, item, "windowDays", 0.01, 3650, path: path) ?? 7;
            if (name is not null && steps is not null)
            {
                funnels.Add(new FunnelSettings(name, steps, window));
            }
        }

        return funnels;
    }
}
