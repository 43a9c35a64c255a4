using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Samlet.Ingestion;

/// <summary>
/// Copies parsed JSON into a writer as raw bytes (already valid: the document parsed them) instead of re-serialising
/// token by token, which is several times faster for the nested context and properties of an event.
/// </summary>
internal static class RawJson
{
    // Relaxed escaping keeps "Malmö" as sent instead of "Malm\u00F6"; the output is stored, not embedded in HTML.
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static void WriteProperty(Utf8JsonWriter writer, JsonProperty property)
    {
        var name = JsonMarshal.GetRawUtf8PropertyName(property);
        if (name.Contains((byte)'\\'))
        {
            property.WriteTo(writer); // an escaped name must be decoded before the writer escapes it again
            return;
        }

        writer.WritePropertyName(name);
        WriteValue(writer, property.Value);
    }

    public static void WriteValue(Utf8JsonWriter writer, JsonElement value) =>
        writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(value), skipInputValidation: true);
}
