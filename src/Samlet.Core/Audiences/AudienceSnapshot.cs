using System.Buffers;
using System.Text.Json;
using Samlet.Identity;
using Samlet.Profiles;
using Samlet.Storage;

namespace Samlet.Audiences;

/// <summary>
/// A workspace's profiles reduced to what the audience evaluator reads — trait and computed values as one small JSON
/// document each, the event times of every kept behavioural count, identifier types, memberships — held in memory so
/// that a size preview evaluates a million profiles in well under a second, on all cores. It is a picture as of
/// <see cref="Position"/> (the pipeline checkpoint when loading began): its owner loads a new one when that moves.
/// </summary>
public sealed class AudienceSnapshot
{
    private const int Page = 2000;
    private readonly Entry[] _entries;

    private AudienceSnapshot(Entry[] entries, long position, long definitionsVersion, DateTimeOffset loadedAt)
    {
        _entries = entries;
        Position = position;
        DefinitionsVersion = definitionsVersion;
        LoadedAt = loadedAt;
    }

    public long Position { get; }

    public long DefinitionsVersion { get; }

    public DateTimeOffset LoadedAt { get; }

    public int Count => _entries.Length;

    /// <summary>Reads every profile of the workspace (in id order, one page at a time).</summary>
    public static async Task<AudienceSnapshot> LoadAsync(ICdpStore store, string workspaceId, WorkspaceDefinitions definitions, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var position = await store.Profiles.GetCheckpointAsync(Pipeline.PipelineWorker.Consumer, cancellationToken);
        var stage = new AudienceStage(definitions, workspaceId, null);
        var entries = new List<Entry>();
        string? after = null;
        while (true)
        {
            var ids = await store.Audiences.ListProfileIdsAsync(workspaceId, after, Page, cancellationToken);
            if (ids.Count == 0)
            {
                break;
            }

            after = ids[^1];
            var identities = (await store.Audiences.LoadIdentitiesOfAsync(ids, cancellationToken)).ToDictionary(p => p.Id, StringComparer.Ordinal);
            foreach (var profile in await store.Profiles.LoadProfilesAsync(ids, cancellationToken))
            {
                stage.Attach(profile);
                entries.Add(Entry.From(profile, identities.GetValueOrDefault(profile.Id), now));
            }
        }

        return new AudienceSnapshot([.. entries], position, definitions.Version, now);
    }

    /// <summary>Whether every behavioural count <paramref name="condition"/> needs is kept (else the snapshot cannot answer).</summary>
    public bool Keeps(Condition condition, WorkspaceDefinitions definitions) =>
        AudienceDependencies.Of(condition).Performed.All(p => definitions.Aggregates.ContainsKey(WorkspaceDefinitions.BehaviourKey(p)));

    /// <summary>Counts the profiles meeting <paramref name="condition"/> at <paramref name="now"/>, with the first few (by id) as a sample.</summary>
    public PreviewResult Evaluate(Condition condition, DateTimeOffset now, int sampleSize)
    {
        var parts = Math.Max(1, Math.Min(Environment.ProcessorCount, _entries.Length / 10_000));
        var counts = new long[parts];
        var samples = new List<string>[parts];
        Parallel.For(0, parts, part =>
        {
            var reader = new EntryFacts();
            var sample = new List<string>(sampleSize);
            long count = 0;
            var end = (int)((long)_entries.Length * (part + 1) / parts);
            for (var i = (int)((long)_entries.Length * part / parts); i < end; i++)
            {
                reader.Current = _entries[i];
                if (AudienceEvaluator.Evaluate(condition, reader.Facts, now).IsMember)
                {
                    count++;
                    if (sample.Count < sampleSize)
                    {
                        sample.Add(_entries[i].Id);
                    }
                }
            }

            counts[part] = count;
            samples[part] = sample;
        });

        return new PreviewResult(counts.Sum(), _entries.Length, [.. samples.SelectMany(s => s).Take(sampleSize)]);
    }

    /// <summary>One profile as the evaluator sees it.</summary>
    private sealed class Entry
    {
        public required string Id { get; init; }

        /// <summary><c>{"t":{traits},"c":{computed values}}</c>, parsed once.</summary>
        public required JsonElement Values { get; init; }

        /// <summary>Per kept count: the sorted event times (ticks) for a rolling window, or one element, the all-time count, negated.</summary>
        public required Dictionary<string, long[]> Counts { get; init; }

        public required string[] IdentifierTypes { get; init; }

        public required string[] Audiences { get; init; }

        public static Entry From(ProfileState profile, ProfileIdentity? identity, DateTimeOffset now)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            var counts = new Dictionary<string, long[]>(StringComparer.Ordinal);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteStartObject("t"u8);
                foreach (var (key, value) in profile.Traits.Values)
                {
                    writer.WritePropertyName(key);
                    writer.WriteRawValue(value.Json, skipInputValidation: true);
                }

                writer.WriteEndObject();
                writer.WriteStartObject("c"u8);
                foreach (var (key, trait) in profile.Computed)
                {
                    if (key[0] == '~')
                    {
                        if (trait.State is { } state)
                        {
                            counts[key] = state.Spec.Window is null ? [-state.Count(now)] : state.EntryTimes();
                        }
                    }
                    else if (trait.Json is not null)
                    {
                        writer.WritePropertyName(key);
                        writer.WriteRawValue(trait.Json, skipInputValidation: true);
                    }
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            using var document = JsonDocument.Parse(buffer.WrittenMemory);
            return new Entry
            {
                Id = profile.Id,
                Values = document.RootElement.Clone(),
                Counts = counts,
                IdentifierTypes = identity is null ? [] : [.. identity.Identifiers.Select(h => string.Intern(h.Identifier.Type)).Distinct()],
                Audiences = [.. profile.Audiences.Keys.Select(string.Intern)],
            };
        }
    }

    /// <summary>Facts over whichever entry is current: one per thread, so evaluating allocates nothing per profile.</summary>
    private sealed class EntryFacts
    {
        private readonly Dictionary<AggregateSpec, string> _keys = new(ReferenceEqualityComparer.Instance);

        public EntryFacts() => Facts = new ProfileFacts(
            key => Lookup("t"u8, key),
            key => Lookup("c"u8, key),
            Performed,
            type => Array.IndexOf(Current.IdentifierTypes, type) >= 0,
            key => Array.IndexOf(Current.Audiences, key) >= 0);

        public Entry Current { get; set; } = null!;

        public ProfileFacts Facts { get; }

        private JsonElement? Lookup(ReadOnlySpan<byte> part, string key) =>
            Current.Values.GetProperty(part).TryGetProperty(key, out var value) ? value : null;

        private long Performed(AggregateSpec events, DateTimeOffset now)
        {
            if (!_keys.TryGetValue(events, out var key))
            {
                _keys[events] = key = WorkspaceDefinitions.BehaviourKey(events);
            }

            if (!Current.Counts.TryGetValue(key, out var times))
            {
                return 0;
            }

            if (events.Window is not { } window)
            {
                return -times[0];
            }

            // Entries at or after the window's start.
            var start = (now - window).UtcTicks;
            var index = Array.BinarySearch(times, start);
            if (index < 0)
            {
                index = ~index;
            }
            else
            {
                while (index > 0 && times[index - 1] == start)
                {
                    index--;
                }
            }

            return times.Length - index;
        }
    }
}
