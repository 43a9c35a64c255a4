using System.Text.Json;
using System.Text.Unicode;

namespace Samlet.Ingestion;

/// <summary>
/// A parsed Tracking API body: either a batch (<c>{"batch":[...], "context", "integrations", "sentAt", "writeKey"}</c>)
/// or one event. Owns the <see cref="JsonDocument"/>; dispose it when the events have been normalised.
/// </summary>
public sealed class TrackingPayload : IDisposable
{
    private static readonly JsonDocumentOptions _options = new() { MaxDepth = 64 };
    private readonly JsonDocument _document;

    private TrackingPayload(JsonDocument document, JsonElement[] items, BatchEnvelope envelope, string? bodyWriteKey)
    {
        _document = document;
        Items = items;
        Envelope = envelope;
        BodyWriteKey = bodyWriteKey;
    }

    public IReadOnlyList<JsonElement> Items { get; }

    public BatchEnvelope Envelope { get; }

    /// <summary>The <c>writeKey</c> field of the body, if any (Jitsu's masked <c>id:***</c> is ignored).</summary>
    public string? BodyWriteKey { get; }

    /// <summary>Parses a body. Returns null and a reason when the body is not acceptable as a whole (HTTP 400).</summary>
    public static TrackingPayload? Parse(ReadOnlyMemory<byte> body, bool isBatch, out string? error)
    {
        // JsonDocument checks UTF-8 only where strings are read; check the whole body once (vectorised, cheap).
        if (!Utf8.IsValid(body.Span))
        {
            error = "The body is not valid UTF-8.";
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, _options);
        }
        catch (JsonException e)
        {
            error = $"The body is not valid JSON: {e.Message}";
            return null;
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            error = "The body must be a JSON object.";
            return null;
        }

        string? writeKey;
        BatchEnvelope envelope;
        try
        {
            writeKey = ReadWriteKey(root);
            envelope = isBatch ? BatchEnvelope.From(root) : default;
        }
        catch (InvalidOperationException)
        {
            // An escaped unpaired surrogate ("\ud800") cannot become a .NET string.
            document.Dispose();
            error = "The body's writeKey or sentAt is not a valid string.";
            return null;
        }

        if (!isBatch)
        {
            error = null;
            return new TrackingPayload(document, [root], default, writeKey);
        }

        if (!root.TryGetProperty("batch", out var batch) || batch.ValueKind != JsonValueKind.Array)
        {
            document.Dispose();
            error = "The body must have a \"batch\" array.";
            return null;
        }

        var items = new JsonElement[batch.GetArrayLength()];
        var i = 0;
        foreach (var item in batch.EnumerateArray())
        {
            items[i++] = item;
        }

        error = null;
        return new TrackingPayload(document, items, envelope, writeKey);
    }

    private static string? ReadWriteKey(JsonElement root)
    {
        if (root.TryGetProperty("writeKey", out var key) && key.ValueKind == JsonValueKind.String)
        {
            var value = key.GetString();
            return string.IsNullOrEmpty(value) || value.Contains("***", StringComparison.Ordinal) ? null : value;
        }

        return null;
    }

    public void Dispose() => _document.Dispose();
}
