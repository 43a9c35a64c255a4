namespace Samlet.Profiles;

/// <summary>
/// A unified profile as the profile stage maintains it: traits with lineage, when the person was first and last seen
/// (event time), event counts by type and by track event name, and the latest event (for Segment's metadata).
/// Mutable: the pipeline worker loads a batch's profiles, applies the events in order and writes them back whole.
/// </summary>
public sealed class ProfileState(string id, string workspaceId, DateTimeOffset createdAt)
{
    public string Id { get; } = id;

    public string WorkspaceId { get; } = workspaceId;

    /// <summary>The event time of the event that created the profile (merges keep the oldest profile).</summary>
    public DateTimeOffset CreatedAt { get; private set; } = createdAt;

    public DateTimeOffset? FirstSeen { get; set; }

    public DateTimeOffset? LastSeen { get; set; }

    /// <summary>The latest event by time (ties: larger messageId): its source and id.</summary>
    public string? LastSourceId { get; set; }

    public string? LastMessageId { get; set; }

    /// <summary>When the pipeline last wrote the profile (processing time, not event time).</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    public TraitSet Traits { get; } = new();

    /// <summary>Computed traits (and the unnamed aggregates of behavioural conditions) by key, with the state that keeps them current.</summary>
    public Dictionary<string, ComputedTrait> Computed { get; } = new(StringComparer.Ordinal);

    /// <summary>The audiences the profile is in, by key, with the time it entered (processing time).</summary>
    public Dictionary<string, DateTimeOffset> Audiences { get; } = new(StringComparer.Ordinal);

    /// <summary>When a rolling window next changes a computed trait or an audience of this profile with no new event (the scheduled pass re-evaluates it then).</summary>
    public DateTimeOffset? RecheckAt { get; set; }

    /// <summary>Events by type wire name (<c>track</c>, <c>page</c>…).</summary>
    public Dictionary<string, long> TypeCounts { get; } = new(StringComparer.Ordinal);

    /// <summary>Track events by event name.</summary>
    public Dictionary<string, long> EventCounts { get; } = new(StringComparer.Ordinal);

    public long EventTotal
    {
        get
        {
            long total = 0;
            foreach (var count in TypeCounts.Values)
            {
                total += count;
            }

            return total;
        }
    }

    /// <summary>Takes in a merged-away profile: traits by latest event, counts summed, aggregates combined, audiences united, seen times widened.</summary>
    public void Absorb(ProfileState other)
    {
        Traits.MergeFrom(other.Traits);
        foreach (var (key, theirs) in other.Computed)
        {
            if (!Computed.TryGetValue(key, out var mine))
            {
                Computed[key] = theirs;
            }
            else if (mine.State is { } state && theirs.State is { } absorbed && mine.Fingerprint == theirs.Fingerprint)
            {
                state.Absorb(absorbed);
                mine.Complete &= theirs.Complete;
            }
        }

        foreach (var (key, entered) in other.Audiences)
        {
            Audiences[key] = Audiences.TryGetValue(key, out var mine) && mine < entered ? mine : entered;
        }

        if (other.RecheckAt is { } recheck && (RecheckAt is null || recheck < RecheckAt))
        {
            RecheckAt = recheck;
        }

        Add(TypeCounts, other.TypeCounts);
        Add(EventCounts, other.EventCounts);
        if (other.CreatedAt < CreatedAt)
        {
            CreatedAt = other.CreatedAt;
        }

        if (other.FirstSeen is { } first && (FirstSeen is null || first < FirstSeen))
        {
            FirstSeen = first;
        }

        if (other.LastSeen is { } last && other.LastMessageId is { } message)
        {
            See(last, other.LastSourceId ?? "", message);
        }
    }

    /// <summary>Records that an event at <paramref name="at"/> happened (first/last seen, latest event).</summary>
    public void See(DateTimeOffset at, string sourceId, string messageId)
    {
        if (FirstSeen is null || at < FirstSeen)
        {
            FirstSeen = at;
        }

        if (LastSeen is null || at > LastSeen || (at == LastSeen && string.CompareOrdinal(messageId, LastMessageId) > 0))
        {
            LastSeen = at;
            LastSourceId = sourceId;
            LastMessageId = messageId;
        }
    }

    private static void Add(Dictionary<string, long> into, Dictionary<string, long> from)
    {
        foreach (var (key, count) in from)
        {
            into[key] = into.GetValueOrDefault(key) + count;
        }
    }
}
