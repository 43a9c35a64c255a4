using System.Runtime.InteropServices;
using System.Text.Json;
using Samlet.Events;

namespace Samlet.Profiles;

/// <summary>
/// The profile stage (pure): what one event does to its profile and account. Identify events set the person's traits
/// (the normaliser has already folded <c>context.traits</c> into them); every other event sets <c>context.traits</c>;
/// a group event's <c>traits</c> describe the account, never the person. Samlet's analytics events set traits only.
/// </summary>
public static class ProfileUpdater
{
    /// <summary>
    /// The person's traits an event carries: an identify event's <c>traits</c>, any other's <c>context.traits</c>
    /// (undefined when there are none).
    /// </summary>
    public static JsonElement TraitsOf(EventType type, JsonElement payload) =>
        type == EventType.Identify ? Child(payload, "traits"u8) : Child(Child(payload, "context"u8), "traits"u8);

    /// <summary>Counts the event, widens the seen times and sets <paramref name="traits"/> (<see cref="TraitsOf"/>).</summary>
    public static void Observe(ProfileState profile, StoredEvent e, JsonElement traits)
    {
        var type = e.Type.ToWire();
        CollectionsMarshal.GetValueRefOrAddDefault(profile.TypeCounts, type, out _)++; // one lookup, not two
        if (e.Type == EventType.Track && e.EventName is { } name)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(profile.EventCounts, name, out _)++;
        }

        profile.See(e.Timestamp, e.SourceId, e.MessageId);
        profile.Traits.SetAll(traits, e.Timestamp, e.SourceId, e.MessageId);
    }

    /// <summary>
    /// Sets an identify event's traits (<see cref="TraitsOf"/>), with the event as lineage, and nothing else: for events
    /// that are not the person's activity (Samlet's analytics predictions), so no counts and no first/last seen.
    /// </summary>
    public static void SetTraits(ProfileState profile, StoredEvent e, JsonElement traits) =>
        profile.Traits.SetAll(traits, e.Timestamp, e.SourceId, e.MessageId);

    public static void ObserveGroup(AccountState account, StoredEvent e, JsonElement payload)
    {
        account.See(e.Timestamp);
        account.Traits.SetAll(Child(payload, "traits"u8), e.Timestamp, e.SourceId, e.MessageId);
    }

    private static JsonElement Child(JsonElement element, ReadOnlySpan<byte> name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) ? child : default;
}
