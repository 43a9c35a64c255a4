using System.Globalization;
using System.Text.Json;
using Samlet.Identity;

namespace Samlet.Core.Tests.Identity;

/// <summary>Runs events through extraction and resolution the way the pipeline worker will, keeping the snapshot in memory.</summary>
internal sealed class IdentityScenario(IdentityRuleSet? rules = null)
{
    private readonly IdentifierExtractor _extractor = new(rules ?? IdentityRuleSet.Default);
    private readonly IdentityResolver _resolver = new(rules ?? IdentityRuleSet.Default);
    private int _profiles;

    public IdentitySnapshot Snapshot { get; init; } = new();

    /// <summary>Profile ids are handed out in order: prf_0001, prf_0002…</summary>
    public string NewProfileId() => "prf_" + (++_profiles).ToString("D4", CultureInfo.InvariantCulture);

    public IdentityDecision Send(string json)
    {
        using var document = JsonDocument.Parse(json);
        var decision = _resolver.Resolve(Snapshot, _extractor.Extract(document.RootElement), NewProfileId);
        Snapshot.Apply(decision);
        return decision;
    }

    /// <summary>The profile holding an identifier written as type:value, or null.</summary>
    public string? ProfileOf(string identifier) => Snapshot.OwnerOf(Identifier.Parse(identifier));

    /// <summary>The identifiers a profile holds, as type:value, in the order they were added.</summary>
    public string[] IdentifiersOf(string profileId) =>
        [.. Snapshot.Find(profileId)!.Identifiers.Select(held => held.Identifier.ToString())];

    /// <summary>A normalised event (ADR 3) on 1 March 2026 plus <paramref name="minutes"/>.</summary>
    public static string Event(string type, int minutes, string fields)
    {
        var at = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero).AddMinutes(minutes);
        var time = at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return $$"""{"type":"{{type}}","messageId":"m{{minutes}}","timestamp":"{{time}}","receivedAt":"{{time}}",{{fields}}}""";
    }
}
