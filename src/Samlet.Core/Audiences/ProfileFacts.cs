using System.Text.Json;

namespace Samlet.Audiences;

/// <summary>
/// What the audience evaluator may ask about one profile. Built over a profile's stored state by the pipeline and the
/// preview, and over plain values by tests.
/// </summary>
public sealed class ProfileFacts(
    Func<string, JsonElement?> trait,
    Func<string, JsonElement?> computed,
    Func<AggregateSpec, DateTimeOffset, long> performed,
    Func<string, bool> hasIdentifier,
    Func<string, bool> isMember)
{
    public JsonElement? Trait(string key) => trait(key);

    public JsonElement? Computed(string key) => computed(key);

    /// <summary>How many events the count aggregate <paramref name="events"/> holds at <paramref name="now"/>.</summary>
    public long Performed(AggregateSpec events, DateTimeOffset now) => performed(events, now);

    public bool HasIdentifier(string type) => hasIdentifier(type);

    public bool IsMember(string audienceKey) => isMember(audienceKey);
}
