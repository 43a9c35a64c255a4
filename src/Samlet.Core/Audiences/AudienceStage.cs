using System.Text.Json;
using Samlet.Events;
using Samlet.Identity;
using Samlet.Pipeline;
using Samlet.Profiles;
using Samlet.Sources;

namespace Samlet.Audiences;

/// <summary>
/// The computed-trait and audience stage (pure): folds each event into the aggregates of its profile, then, once per
/// batch and profile, recomputes the computed traits and re-evaluates the audiences, and writes entries and exits —
/// with <c>Audience Entered</c>/<c>Exited</c> events when <see cref="Announce"/> — into the change set. The same
/// code serves live batches, unmerge replays, backfills and the scheduled re-check of rolling windows.
/// </summary>
public sealed class AudienceStage(WorkspaceDefinitions definitions, string workspaceId, string? announcingSourceId)
{
    // What changed on each profile since it was loaded: only the audiences that read one of these are re-evaluated.
    private readonly Dictionary<ProfileState, Touched> _touched = new(ReferenceEqualityComparer.Instance);
    // Stands in for a set nothing can be added to (a profile without computed traits): shared, so never written.
    private static readonly HashSet<string> _noKeys = [];

    public WorkspaceDefinitions Definitions => definitions;

    /// <summary>Whether transitions produce events (not while a rebuild re-derives what was announced before).</summary>
    public bool Announce { get; init; } = true;

    /// <summary>
    /// Prepares a profile: its aggregates follow the current definitions, and deleted definitions are dropped. An
    /// aggregate new to a stored profile holds only the events from now on until the backfill re-derives it from the
    /// profile's events; a <paramref name="fresh"/> profile (created by the event being processed) has no earlier events.
    /// Returns whether some aggregate is incomplete.
    /// </summary>
    public bool Attach(ProfileState profile, bool fresh = false)
    {
        if (profile.Computed.Count > 0)
        {
            foreach (var key in profile.Computed.Keys.ToList())
            {
                if (!definitions.Aggregates.TryGetValue(key, out var spec) || profile.Computed[key].Fingerprint != spec.Fingerprint)
                {
                    profile.Computed.Remove(key);
                }
            }
        }

        if (fresh)
        {
            TouchedOf(profile).Everything = true;
        }

        var incomplete = false;
        foreach (var (key, spec) in definitions.Aggregates)
        {
            if (profile.Computed.TryGetValue(key, out var trait))
            {
                trait.Attach(spec);
            }
            else
            {
                profile.Computed[key] = trait = ComputedTrait.New(spec, complete: fresh);
            }

            incomplete |= !trait.Complete;
        }

        return incomplete;
    }

    /// <summary>Starts every aggregate of the profile from nothing, as complete: the caller then observes all its events.</summary>
    public void Reset(ProfileState profile)
    {
        profile.Computed.Clear();
        Attach(profile, fresh: true);
    }

    /// <summary>
    /// Folds one event into the profile's aggregates and notes the trait keys it may set. Samlet's own events
    /// (<see cref="OwnSources"/>) are never folded in — they are not the person's activity, and audiences cannot feed on
    /// their own announcements — but the traits an analytics event sets are noted like any others.
    /// </summary>
    public void Observe(ProfileState profile, StoredEvent e, JsonElement payload, JsonElement traits, DateTimeOffset now)
    {
        if (profile.Computed.Count == 0 && definitions.Audiences.Count == 0)
        {
            return; // nothing reads the event (Attach keeps only the definitions' aggregates)
        }

        var touched = TouchedOf(profile);
        if (!OwnSources.IsOwn(e.SourceId))
        {
            foreach (var (key, trait) in profile.Computed)
            {
                if (trait.State?.Observe(e, payload, now) == true)
                {
                    Touched.Note(ref touched.Aggregates, key);
                }
            }
        }

        // The traits the event may set (whether or not they win against later values: re-evaluating too much is harmless).
        // Only audiences read them: a workspace without audiences notes none.
        if (traits.ValueKind == JsonValueKind.Object && definitions.Audiences.Count > 0)
        {
            foreach (var property in traits.EnumerateObject())
            {
                Touched.Note(ref touched.Traits, property.Name);
            }
        }
    }

    /// <summary>Notes identifiers the profile gained (for audiences that require one, such as an e-mail address).</summary>
    public void Identified(ProfileState profile, IEnumerable<Identifier> added)
    {
        if (definitions.Audiences.Count == 0)
        {
            return;
        }

        var touched = TouchedOf(profile);
        foreach (var identifier in added)
        {
            Touched.Note(ref touched.IdentifierTypes, identifier.Type);
        }
    }

    /// <summary>Notes that the profile absorbed another: everything may have changed.</summary>
    public void Merged(ProfileState profile) => TouchedOf(profile).Everything = true;

    /// <summary>
    /// Brings the profile's computed traits and memberships up to <paramref name="now"/> and records what changed.
    /// Only audiences that read something that changed are re-evaluated, unless <paramref name="everything"/> (a re-check
    /// or a backfill). <paramref name="rewriteMemberships"/>: also re-insert memberships that did not change (after an
    /// unmerge or a merge removed their rows).
    /// </summary>
    public void Settle(ProfileState profile, ProfileIdentity? identity, DateTimeOffset now, ChangeSet changes, bool rewriteMemberships = false, bool everything = false)
    {
        var touched = _touched.Remove(profile, out var t) ? t : Touched.Nothing;
        // A re-check that is due is done now, whatever else happened.
        everything |= touched.Everything || rewriteMemberships || profile.RecheckAt <= now;
        var changedComputed = profile.Computed.Count > 0 ? new HashSet<string>(StringComparer.Ordinal) : _noKeys;
        DateTimeOffset? recheck = null;
        foreach (var (key, trait) in profile.Computed)
        {
            if (trait.State is not { } state)
            {
                continue;
            }

            state.Prune(now);
            recheck = Earliest(recheck, state.NextExpiry());
            if (key[0] != '~')
            {
                var value = state.Value(now);
                if (value != trait.Json || trait.ComputedAt == default)
                {
                    trait.Json = value;
                    trait.ComputedAt = now;
                    changedComputed.Add(key);
                }
            }
        }

        if (profile.Audiences.Count > 0)
        {
            foreach (var key in profile.Audiences.Keys.ToList())
            {
                if (!definitions.Dependencies.ContainsKey(key))
                {
                    profile.Audiences.Remove(key);
                }
            }
        }

        if (definitions.Audiences.Count == 0)
        {
            profile.RecheckAt = RoundedUp(recheck);
            return;
        }

        var changedMemberships = new HashSet<string>(StringComparer.Ordinal);
        var skipped = false;
        using var facts = new StateFacts(profile, identity);
        foreach (var audience in definitions.Audiences)
        {
            if (!everything && !Affected(definitions.Dependencies[audience.Key], touched, changedComputed, changedMemberships))
            {
                skipped = true;
                continue;
            }

            var verdict = AudienceEvaluator.Evaluate(audience.Condition, facts.Facts, now);
            recheck = Earliest(recheck, verdict.RecheckAt);
            var was = profile.Audiences.ContainsKey(audience.Key);
            if (verdict.IsMember != was)
            {
                changedMemberships.Add(audience.Key);
                if (verdict.IsMember)
                {
                    profile.Audiences[audience.Key] = now;
                }
                else
                {
                    profile.Audiences.Remove(audience.Key);
                }

                Transition(profile, identity, audience, verdict.IsMember, now, changes);
            }
            else if (verdict.IsMember && rewriteMemberships)
            {
                changes.Memberships.Add(new MembershipChange(workspaceId, audience.Key, profile.Id, true, profile.Audiences[audience.Key]));
            }
        }

        // A skipped audience keeps the re-check time it had (not yet due: that case evaluates everything). Stores keep
        // milliseconds or microseconds, so the time is rounded up: a re-check never comes before the change.
        profile.RecheckAt = RoundedUp(skipped ? Earliest(recheck, profile.RecheckAt) : recheck);
    }

    private static DateTimeOffset? RoundedUp(DateTimeOffset? at) =>
        at is { } t && t.UtcTicks % TimeSpan.TicksPerMillisecond != 0
            ? new DateTimeOffset(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerMillisecond) + TimeSpan.TicksPerMillisecond, TimeSpan.Zero)
            : at;

    private static bool Affected(AudienceDependencies reads, Touched touched, HashSet<string> changedComputed, HashSet<string> changedMemberships) =>
        touched.Traits is { } traits && reads.TraitKeys.Overlaps(traits) ||
        reads.ComputedKeys.Overlaps(changedComputed) ||
        touched.Aggregates is { } aggregates && reads.Performed.Any(p => aggregates.Contains(WorkspaceDefinitions.BehaviourKey(p))) ||
        touched.IdentifierTypes is { } types && reads.IdentifierTypes.Overlaps(types) ||
        reads.MemberOf.Overlaps(changedMemberships);

    private Touched TouchedOf(ProfileState profile)
    {
        if (!_touched.TryGetValue(profile, out var touched))
        {
            _touched[profile] = touched = new Touched();
        }

        return touched;
    }

    /// <summary>Whether the profile (attached, with its events observed) meets <paramref name="condition"/> at <paramref name="now"/>, changing nothing.</summary>
    public static bool Meets(ProfileState profile, ProfileIdentity? identity, Condition condition, DateTimeOffset now)
    {
        using var facts = new StateFacts(profile, identity);
        return AudienceEvaluator.Evaluate(condition, facts.Facts, now).IsMember;
    }

    private void Transition(ProfileState profile, ProfileIdentity? identity, AudienceDefinition audience, bool entered, DateTimeOffset now, ChangeSet changes)
    {
        changes.Memberships.Add(new MembershipChange(workspaceId, audience.Key, profile.Id, entered, now));
        if (Announce && announcingSourceId is not null)
        {
            changes.Emitted.Add(AudienceEvents.Create(announcingSourceId, profile.Id, identity, audience, entered, now));
        }
    }

    private sealed class Touched
    {
        /// <summary>For a profile nothing was noted on; never written to.</summary>
        public static readonly Touched Nothing = new();

        // Sets made on the first key noted: most profiles of a batch note none of some kinds.
        public HashSet<string>? Traits;
        public HashSet<string>? Aggregates;
        public HashSet<string>? IdentifierTypes;

        public bool Everything { get; set; }

        public static void Note(ref HashSet<string>? set, string key) => (set ??= new(StringComparer.Ordinal)).Add(key);
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    /// <summary>The evaluator's view of a profile's state; trait values are parsed on first use and released with it.</summary>
    private sealed class StateFacts : IDisposable
    {
        private readonly List<JsonDocument> _documents = [];
        private readonly Dictionary<string, JsonElement?> _traits = new(StringComparer.Ordinal);
        private readonly Dictionary<string, JsonElement?> _computed = new(StringComparer.Ordinal);

        public StateFacts(ProfileState profile, ProfileIdentity? identity)
        {
            Facts = new ProfileFacts(
                key => Parsed(_traits, key, profile.Traits[key]?.Json),
                key => Parsed(_computed, key, profile.Computed.TryGetValue(key, out var trait) ? trait.Json : null),
                (events, now) => profile.Computed.TryGetValue(WorkspaceDefinitions.BehaviourKey(events), out var trait) && trait.State is { } state ? state.Count(now) : 0,
                type => identity is not null && identity.Identifiers.Any(h => h.Identifier.Type == type),
                profile.Audiences.ContainsKey);
        }

        public ProfileFacts Facts { get; }

        private JsonElement? Parsed(Dictionary<string, JsonElement?> cache, string key, string? json)
        {
            if (cache.TryGetValue(key, out var value))
            {
                return value;
            }

            if (json is not null)
            {
                var document = JsonDocument.Parse(json);
                _documents.Add(document);
                value = document.RootElement;
            }

            cache[key] = value;
            return value;
        }

        public void Dispose()
        {
            foreach (var document in _documents)
            {
                document.Dispose();
            }
        }
    }
}
