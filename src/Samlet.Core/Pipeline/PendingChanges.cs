using Samlet.Profiles;

namespace Samlet.Pipeline;

/// <summary>
/// Batches a worker has decided but not yet applied: their change sets, which the store applies later in order and in
/// one transaction. The batches after them are decided against what they left in the worker's memory
/// (<see cref="DerivedStateCache"/>), so deferring the writes changes when they happen and nothing else.
/// </summary>
internal sealed class PendingChanges
{
    // The change set that writes each profile last (a commit of a million events holds ~500 change sets: no scan of them all).
    private readonly Dictionary<ProfileState, ChangeSet> _writers = new(ReferenceEqualityComparer.Instance);

    public List<ChangeSet> ChangeSets { get; } = [];

    /// <summary>Events read by the pending batches.</summary>
    public int EventCount { get; private set; }

    /// <summary>The consumers whose checkpoint version a pending change set already expects (the first move of each does).</summary>
    public HashSet<string> Checked { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Adds a batch's change set. A profile written whole by an earlier pending change set and again by this one is left
    /// out of the earlier one: both would write the same object (the cached state, changed since), and nothing in
    /// between reads the row.
    /// </summary>
    public void Add(ChangeSet changes, int events)
    {
        foreach (var profile in changes.Profiles)
        {
            if (_writers.TryGetValue(profile, out var earlier) && earlier != changes)
            {
                earlier.Profiles.Remove(profile);
            }

            _writers[profile] = changes;
        }

        ChangeSets.Add(changes);
        EventCount += events;
    }
}
