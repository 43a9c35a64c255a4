using System.Text.Json;

namespace Samlet.Ingestion;

/// <summary>
/// Batch-level fields that apply to every item that lacks them (segment-docs: batch context and integrations merge into
/// items). <see cref="SentAt"/> is parsed once per batch; unparseable counts as absent.
/// </summary>
public readonly record struct BatchEnvelope(JsonElement? Context, JsonElement? Integrations, DateTimeOffset? SentAt)
{
    public static BatchEnvelope From(JsonElement root)
    {
        JsonElement? context = root.TryGetProperty("context", out var c) && c.ValueKind == JsonValueKind.Object ? c : null;
        JsonElement? integrations = root.TryGetProperty("integrations", out var i) && i.ValueKind == JsonValueKind.Object ? i : null;
        DateTimeOffset? sentAt = root.TryGetProperty("sentAt", out var s) && s.ValueKind == JsonValueKind.String ? EventTimes.Parse(s) : null;
        return new BatchEnvelope(context, integrations, sentAt);
    }
}
