using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Samlet.Audiences;

namespace Samlet.Server.Audiences;

/// <summary>
/// A definition as a client sends it: read with a size cap, and given the key its route (or the preview default) names
/// when the body has none. The result is compact JSON for <see cref="DefinitionParser"/>, or the problems that stop it.
/// </summary>
internal static class DefinitionInput
{
    public const int MaxBytes = 256 * 1024;

    private static readonly JsonSerializerOptions _compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Reads at most <see cref="MaxBytes"/> of UTF-8; null when the body is larger.</summary>
    public static async Task<string?> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        var buffer = new char[MaxBytes + 1];
        var read = await reader.ReadBlockAsync(buffer, cancellationToken);
        return read > MaxBytes ? null : new string(buffer, 0, read);
    }

    /// <summary>
    /// The body, compact, with <c>key</c> set to <paramref name="key"/> (when given) if it has none; a body whose key differs from
    /// <paramref name="key"/> (when <paramref name="mustMatch"/>) is refused at <c>/key</c>. Text that is not a JSON
    /// object is passed on as it is, for the parser to say what is wrong with it.
    /// </summary>
    public static (string Json, IReadOnlyList<DefinitionProblem> Problems) WithKey(string body, string? key, bool mustMatch)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 128 });
        }
        catch (JsonException)
        {
            return (body, []);
        }

        if (node is not JsonObject definition)
        {
            return (body, []);
        }

        try
        {
            if (key is null)
            {
                // Only compacted.
            }
            else if (!definition.TryGetPropertyValue("key", out var given))
            {
                definition["key"] = key;
            }
            else if (mustMatch && given is JsonValue value && value.TryGetValue<string>(out var text) && text != key)
            {
                return (body, [new DefinitionProblem("/key", $"the key in the body ('{text}') differs from the key in the path ('{key}'); leave it out or make them equal")]);
            }

            return (definition.ToJsonString(_compact), []);
        }
        catch (ArgumentException)
        {
            // A property named twice: the parser reports it.
            return (body, []);
        }
    }
}
