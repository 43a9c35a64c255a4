using System.Text.Json;
using System.Text.Json.Serialization;

namespace Samlet.Identity;

/// <summary>
/// Identity rules as JSON (camelCase, as docs/identity.md shows them): how the admin API takes them and the store keeps
/// them. Unknown properties are refused, so a typo (<c>"limt"</c>) is an error rather than a silently ignored rule.
/// </summary>
public static class IdentityRulesJson
{
    private static readonly JsonSerializerOptions _options = new(JsonSerializerOptions.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    /// <summary>Reads rules; throws <see cref="JsonException"/> with the path of the first problem when the JSON does not fit.</summary>
    public static IdentityRules Parse(string json) =>
        JsonSerializer.Deserialize<IdentityRules>(json, _options) ?? throw new JsonException("The rules are null; send an object ({} for the defaults).");

    public static string Write(IdentityRules rules) => JsonSerializer.Serialize(rules, _options);
}
