using System.Text.Json;

namespace Samlet.Ingestion;

/// <summary>Writes a shallow merge of two JSON objects: keys of <c>over</c> win over keys of <c>under</c>.</summary>
internal static class JsonMerge
{
    public static void WriteMerged(Utf8JsonWriter writer, JsonElement? under, JsonElement? over, string? ip)
    {
        writer.WriteStartObject();
        if (under is { } u)
        {
            foreach (var property in u.EnumerateObject())
            {
                if (over is not { } o || !o.TryGetProperty(property.Name, out _))
                {
                    RawJson.WriteProperty(writer, property);
                }
            }
        }

        if (over is { } ov)
        {
            foreach (var property in ov.EnumerateObject())
            {
                RawJson.WriteProperty(writer, property);
            }
        }

        if (ip is not null && (under is not { } b || !b.TryGetProperty("ip", out _)))
        {
            writer.WriteString("ip", ip);
        }

        writer.WriteEndObject();
    }
}
