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
    // The kept behavioural counts, by key: their index in every entry's Counts.
    private readonly Dictionary<string, int> _countIndex;

    private AudienceSnapshot(Entry[] entries, Dictionary<string, int> countIndex, long position, long definitionsVersion, DateTimeOffset loadedAt)
    {
        _entries = entries;
        _countIndex = countIndex;
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
        var position = await Pipeline.PipelinePartitions.CheckpointOfAsync(store, workspaceId, cancellationToken);
        var countIndex = definitions.Aggregates.Keys.Where(k => k[0] == '~').Order(StringComparer.Ordinal)
            .Select((key, index) => (key, index)).ToDictionary(p => p.key, p => p.index, StringComparer.Ordinal);
        var pages = new List<IReadOnlyList<string>>();
        string? after = null;
        while (true)
        {
            var ids = await store.Audiences.ListProfileIdsAsync(workspaceId, after, Page, cancellationToken);
            if (ids.Count == 0)
            {
                break;
            }

            pages.Add(ids);
            after = ids[^1];
        }

        // Reading and parsing profiles is the cost: pages are loaded on every core.
        var loaded = new Entry[pages.Count][];
        await Parallel.ForAsync(0, pages.Count, cancellationToken, async (page, ct) =>
        {
            var stage = new AudienceStage(definitions, workspaceId, null);
            var identities = (await store.Audiences.LoadIdentitiesOfAsync(pages[page], ct)).ToDictionary(p => p.Id, StringComparer.Ordinal);
            var profiles = await store.Profiles.LoadProfilesAsync(pages[page], ct);
            var entries = new Entry[profiles.Count];
            for (var i = 0; i < entries.Length; i++)
            {
                stage.Attach(profiles[i]);
                entries[i] = Entry.From(profiles[i], identities.GetValueOrDefault(profiles[i].Id), countIndex, now);
            }

            loaded[page] = entries;
        });

        var entries = loaded.SelectMany(e => e).ToArray();
        return new AudienceSnapshot(entries, countIndex, position, definitions.Version, now);
    }

    /// <summary>Counts the profiles meeting <paramref name="condition"/> at <paramref name="now"/>, with the first few (by id) as a sample.</summary>
    public PreviewResult Evaluate(Condition condition, DateTimeOffset now, int sampleSize)
    {
        var parts = Math.Max(1, Math.Min(Environment.ProcessorCount, _entries.Length / 10_000));
        var counts = new long[parts];
        var samples = new List<string>[parts];
        Parallel.For(0, parts, part =>
        {
            var reader = new EntryFacts(_countIndex);
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

        /// <summary>Per kept count (by the snapshot's index): the sorted event times (ticks) for a rolling window, or one element, the all-time count, negated.</summary>
        public required long[]?[] Counts { get; init; }

        public required string[] IdentifierTypes { get; init; }

        public required string[] Audiences { get; init; }

        public static Entry From(ProfileState profile, ProfileIdentity? identity, Dictionary<string, int> countIndex, DateTimeOffset now)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            var counts = new long[]?[countIndex.Count];
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
                        if (trait.State is { } state && countIndex.TryGetValue(key, out var index))
                        {
                            counts[index] = state.Spec.Window is null ? [-state.Count(now)] : state.EntryTimes();
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
        private readonly Dictionary<AggregateSpec, int> _indexes = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<string, int> _countIndex;

        public EntryFacts(Dictionary<string, int> countIndex)
        {
            _countIndex = countIndex;
            Facts = new ProfileFacts(
            key => Lookup("t"u8, key),
            key => Lookup("c"u8, key),
            Performed,
            type => Array.IndexOf(Current.IdentifierTypes, type) >= 0,
            key => Array.IndexOf(Current.Audiences, key) >= 0);
        }

        public Entry Current { get; set; } = null!;

        public ProfileFacts Facts { get; }

        private JsonElement? Lookup(ReadOnlySpan<byte> part, string key) =>
            Current.Values.GetProperty(part).TryGetProperty(key, out var value) ? value : null;

        private long Performed(AggregateSpec events, DateTimeOffset now)
        {
            if (!_indexes.TryGetValue(events, out var index))
            {
                _indexes[events] = index = _countIndex.GetValueOrDefault(WorkspaceDefinitions.BehaviourKey(events), -1);
            }

            if (index < 0 || Current.Counts[index] is not { } times)
            {
                return 0;
            }

            if (events.Window is not { } window)
            {
                return -times[0];
            }

            // Entries at or after the window's start.
            var start = (now - window).UtcTicks;
            var first = Array.BinarySearch(times, start);
            if (first < 0)
            {
                first = ~first;
            }
            else
            {
                while (first > 0 && times[first - 1] == start)
                {
                    first--;
                }
            }

            return times.Length - first;
        }
    }
}
