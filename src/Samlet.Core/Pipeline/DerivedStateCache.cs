namespace Samlet.Pipeline;

/// <summary>
/// What a pipeline worker keeps in memory of its partitions' derived state between batches: per workspace, the profiles,
/// identities and accounts its batches loaded or wrote (<see cref="WorkspaceOverlay"/>). It is right only while nobody
/// else writes those partitions, so it also keeps each partition checkpoint as the worker's own last write left it
/// (position and version, which every write raises): a plan that finds another checkpoint forgets the contents, and the
/// first change set of every commit expects those versions, so a write in between makes the store refuse the commit.
/// After the worker reset the store itself (a rebuild) the cache is complete: what it does not know does not exist.
/// </summary>
internal sealed class DerivedStateCache(int maxProfiles)
{
    private readonly Dictionary<string, WorkspaceOverlay> _workspaces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CheckpointState> _checkpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _definitions = new(StringComparer.Ordinal);
    private bool _complete;

    public WorkspaceOverlay Of(string workspaceId)
    {
        if (!_workspaces.TryGetValue(workspaceId, out var overlay))
        {
            _workspaces[workspaceId] = overlay = new WorkspaceOverlay(_complete);
        }

        return overlay;
    }

    /// <summary>Profiles held in memory, pending ones included.</summary>
    public long ProfileCount => _workspaces.Values.Sum(w => (long)w.ProfileCount);

    /// <summary>The version the worker's last write left the consumer's checkpoint at, if it knows it.</summary>
    public long? VersionOf(string consumer) => _checkpoints.TryGetValue(consumer, out var state) ? state.Version : null;

    /// <summary>
    /// Compares the stored checkpoints of a plan with the ones the worker left: any difference means another writer, and
    /// the contents are forgotten. Either way the stored ones are what the next commit expects.
    /// </summary>
    public void Verify(IReadOnlyDictionary<string, CheckpointState> stored)
    {
        foreach (var (consumer, state) in stored)
        {
            if (_checkpoints.TryGetValue(consumer, out var mine) && mine != state)
            {
                Forget();
                break;
            }
        }

        foreach (var (consumer, state) in stored)
        {
            _checkpoints[consumer] = state;
        }
    }

    /// <summary>After the worker reset every partition: empty, and complete for as long as the checkpoints stay as read.</summary>
    public void StartComplete(IReadOnlyDictionary<string, CheckpointState> checkpoints)
    {
        Reset();
        _complete = true;
        foreach (var (consumer, state) in checkpoints)
        {
            _checkpoints[consumer] = state;
        }
    }

    /// <summary>
    /// The workspace's definitions version for the next batch; false when the cached batches used another (memberships of
    /// a removed audience went without a change set): the caller applies what is pending and forgets.
    /// </summary>
    public bool SameDefinitions(string workspaceId, long version) =>
        _definitions.TryAdd(workspaceId, version) || _definitions[workspaceId] == version;

    /// <summary>After the worker's own commit: its moves raised each checkpoint's version by one. Beyond the size limit profiles go back to the store.</summary>
    public void Committed(IEnumerable<ChangeSet> changeSets)
    {
        foreach (var move in changeSets.SelectMany(c => c.Checkpoints))
        {
            if (_checkpoints.TryGetValue(move.Consumer, out var before))
            {
                _checkpoints[move.Consumer] = new CheckpointState(move.Position, before.Version + 1);
            }
        }

        // Beyond the limit the least recently used go back to the store, down to three quarters of it; their identifiers
        // stay known (so the cache stays complete), up to ten per profile of the limit (~130 bytes each).
        var held = ProfileCount;
        if (held > maxProfiles)
        {
            var keep = maxProfiles * 3L / 4;
            foreach (var workspace in _workspaces.Values)
            {
                workspace.Evict((int)(workspace.ProfileCount * keep / held));
            }
        }

        if (_workspaces.Values.Sum(w => (long)w.IdentifierCount) > 10L * maxProfiles)
        {
            Forget();
        }
    }

    /// <summary>Drops the contents (the store is the truth again) but keeps the checkpoints the worker's writes left.</summary>
    public void Forget()
    {
        _workspaces.Clear();
        _definitions.Clear();
        _complete = false;
    }

    /// <summary>Drops everything: after a commit that failed, or a write the cache did not follow. The next plan starts over.</summary>
    public void Reset()
    {
        Forget();
        _checkpoints.Clear();
    }
}
