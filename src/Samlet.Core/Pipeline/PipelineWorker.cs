using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Samlet.Events;
using Samlet.Identity;
using Samlet.Profiles;
using Samlet.Sources;
using Samlet.Storage;

namespace Samlet.Pipeline;

/// <summary>
/// Reads the event log in order from the checkpoints of the partitions it holds (<see cref="Partitions"/>, ADR 11), runs
/// the identity and profile stages per workspace of those partitions, and commits each batch's whole outcome with the
/// checkpoint moves in one transaction. A crash loses nothing and applies nothing twice: checkpoints move only with the
/// outcome, and a store refuses a move from a position it is not at. Batches, unmerges and rebuilds of one worker run
/// one at a time.
/// </summary>
public sealed partial class PipelineWorker(ICdpStore store, TimeProvider time)
{
    /// <summary>The prefix of the partitions' checkpoint consumers (<see cref="PipelinePartitions.ConsumerOf"/>).</summary>
    public const string Consumer = "profiles";

    private readonly SemaphoreSlim _gate = new(1, 1);
    // Read by the read-ahead of the next batch while a batch, an unmerge or a rebuild holds the gate.
    private readonly ConcurrentDictionary<string, string> _workspaceOfSource = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CachedRules> _rules = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _ownSources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _partitionOfWorkspace = new(StringComparer.Ordinal);
    private IReadOnlySet<int> _partitions = PipelinePartitions.All;
    private int _generation;
    private DerivedStateCache? _cache;

    /// <summary>
    /// The partitions whose events this worker processes (all by default). The server sets the ones its instance holds
    /// leases for; a change takes effect at the next batch.
    /// </summary>
    public IReadOnlySet<int> Partitions
    {
        get => Volatile.Read(ref _partitions);
        set
        {
            Volatile.Write(ref _partitions, value);
            Interlocked.Increment(ref _generation);
        }
    }

    /// <summary>Events read per batch.</summary>
    public int BatchSize { get; init; } = 2000;

    /// <summary>
    /// While catching up, how many events' batches are decided before they are applied together: one commit writes a
    /// page that several batches changed once, and a profile that several batches touched once. A commit also ends when
    /// the worker holds more than <see cref="CachedProfiles"/> profiles: those its pending batches wrote can go back to
    /// the store only once they are applied. By default what suits the store (<see cref="ICdpStore.EventsPerCatchUpCommit"/>).
    /// </summary>
    public int EventsPerCommit { get; init; } = store.EventsPerCatchUpCommit;

    /// <summary>While catching up, how many batches are read and parsed ahead of the one being decided (on another thread).</summary>
    public int ReadAheadBatches { get; init; } = 4;

    /// <summary>
    /// How many profiles the worker keeps in memory between commits at most (a few KB each): beyond it, the least recently
    /// used go back to the store (their identifiers stay known, ten per profile of this limit at most).
    /// </summary>
    public int CachedProfiles { get; init; } = 100_000;

    /// <summary>Where the worker's time went, per phase.</summary>
    public PipelineTimes Times { get; } = new();

    // Used under the gate only.
    private DerivedStateCache Cache => _cache ??= new DerivedStateCache(CachedProfiles);

    /// <summary>Processes the next batch, if any; returns how many events it read.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var batch = await PrepareAsync(await PlanAsync(Partitions, cancellationToken), cancellationToken);
            if (batch is null)
            {
                return 0;
            }

            var pending = await ReadyForAsync(batch, new PendingChanges(), cancellationToken);
            var deciding = Stopwatch.GetTimestamp();
            await DecideAsync(batch, pending, cancellationToken);
            Times.Add(PipelinePhase.Decide, deciding);
            await CommitAsync(pending, cancellationToken);
            return batch.Events.Count;
        }
        catch
        {
            Forsake();
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Processes batches until the log is exhausted; returns how many events were read. While one batch is decided, the
    /// next ones (up to <see cref="ReadAheadBatches"/>) are read and parsed on another thread. While the log has more
    /// than a batch to read, up to <see cref="EventsPerCommit"/> events of consecutive batches (fewer when the worker
    /// holds more than <see cref="CachedProfiles"/> profiles) are decided before their change sets are applied, in one
    /// transaction; a batch that reaches the end of the log is applied at once. Unmerges and rebuilds may run between
    /// commits.
    /// </summary>
    public async Task<long> CatchUpAsync(IProgress<long>? progress, CancellationToken cancellationToken)
    {
        long total = 0;
        var generation = -1;
        ReadAhead? reader = null;
        try
        {
            var exhausted = false;
            while (!exhausted)
            {
                await _gate.WaitAsync(cancellationToken);
                try
                {
                    if (reader is null || generation != Volatile.Read(ref _generation))
                    {
                        if (reader is not null)
                        {
                            await reader.DisposeAsync();
                        }

                        generation = Volatile.Read(ref _generation);
                        reader = new ReadAhead(this, await PlanAsync(Partitions, cancellationToken), ReadAheadBatches, cancellationToken);
                    }

                    var pending = new PendingChanges();
                    while (true)
                    {
                        var waiting = Stopwatch.GetTimestamp();
                        var batch = await reader.NextAsync(cancellationToken);
                        Times.Add(PipelinePhase.Wait, waiting);
                        if (batch is null)
                        {
                            exhausted = true;
                            break;
                        }

                        using (batch)
                        {
                            pending = await ReadyForAsync(batch, pending, cancellationToken);
                            var deciding = Stopwatch.GetTimestamp();
                            await DecideAsync(batch, pending, cancellationToken);
                            Times.Add(PipelinePhase.Decide, deciding);
                        }

                        if (batch.Events.Count < BatchSize || pending.EventCount >= EventsPerCommit || Cache.ProfileCount > CachedProfiles || generation != Volatile.Read(ref _generation))
                        {
                            break;
                        }
                    }

                    await CommitAsync(pending, cancellationToken);
                    total += pending.EventCount;
                }
                catch
                {
                    // Decided batches changed the cache; whatever failed, it may now differ from the store.
                    Forsake();
                    throw;
                }
                finally
                {
                    _gate.Release();
                }

                progress?.Report(total);
            }

            return total;
        }
        finally
        {
            if (reader is not null)
            {
                await reader.DisposeAsync();
            }
        }
    }

    /// <summary>Drops all derived state and processes the whole log again (after a rule change, for example).</summary>
    public async Task<long> RebuildAsync(IProgress<long>? progress, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _silentThrough = await store.Events.LastSequenceAsync(cancellationToken);
            await store.Profiles.ResetAsync(PipelinePartitions.Consumers, cancellationToken);
            var checkpoints = new Dictionary<string, CheckpointState>(StringComparer.Ordinal);
            foreach (var consumer in PipelinePartitions.Consumers)
            {
                checkpoints[consumer] = await store.Profiles.ReadCheckpointAsync(consumer, cancellationToken);
            }

            // Unless another worker has started on the empty store already, what this one does not know does not exist.
            if (checkpoints.Values.All(c => c.Position == 0))
            {
                Cache.StartComplete(checkpoints);
            }
            else
            {
                Cache.Reset();
            }

            _rules.Clear();
            Interlocked.Increment(ref _generation);
        }
        finally
        {
            _gate.Release();
        }

        return await CatchUpAsync(progress, cancellationToken);
    }

    /// <summary>
    /// Cuts <paramref name="identifier"/> from a profile and re-derives the profile by replaying its events with the
    /// identifier linking nothing (now and in every rebuild). Returns null when the profile is unknown, and the
    /// outcome otherwise (<see cref="UnmergeOutcome.NotHeld"/> when the profile does not hold the identifier).
    /// </summary>
    public async Task<UnmergeOutcome?> UnmergeAsync(string workspaceId, string profileId, Identifier identifier, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var profile = await store.Profiles.GetProfileAsync(workspaceId, profileId, cancellationToken);
            if (profile is null)
            {
                return null;
            }

            var held = await store.Profiles.GetIdentifiersAsync(profile.Id, cancellationToken);
            if (!held.Any(h => h.Identifier == identifier))
            {
                return new UnmergeOutcome(profile.Id, [], NotHeld: true);
            }

            var events = new List<StoredEvent>();
            long? before = null;
            IReadOnlyList<StoredEvent> page;
            do
            {
                page = await store.Profiles.GetEventsAsync(profile.Id, before, 5000, cancellationToken);
                events.AddRange(page);
                before = page.Count > 0 ? page[^1].Sequence : null;
            }
            while (page.Count > 0);

            events.Reverse();
            var now = time.GetUtcNow();
            // Pinned at the current position: a batch another instance applies meanwhile (which could add events to the
            // profile) makes the store refuse this unmerge instead of losing that batch's links.
            var changes = await PinnedChangesAsync(workspaceId, cancellationToken);
            changes.Deleted.Add(profile.Id);
            changes.Cuts.Add(new IdentityCut(workspaceId, identifier, profile.Id, now));
            var rules = (await RulesAsync(workspaceId, cancellationToken)).WithCuts([identifier]);
            using (var replay = new ProfileBatch(workspaceId, rules, events))
            {
                await DecideAsync(workspaceId, replay, replacing: profile, announce: true, changes, overlay: null, cancellationToken);
            }

            var results = changes.Profiles.Select(p => p.Id).Order(StringComparer.Ordinal).ToList();
            var words = $"Unmerged: {identifier} was cut from profile {profile.Id}, so it links nothing any more; its {events.Count} events were replayed " +
                        $"and now belong to {(results.Count == 0 ? "no profile" : string.Join(", ", results))}.";
            foreach (var result in results)
            {
                changes.History.Add(new IdentityRecord(result, events.Count > 0 ? events[^1].Sequence : 0, "", now, "unmerge", [profile.Id], words));
            }

            await ApplyPinnedAsync(changes, cancellationToken);
            _rules.TryRemove(workspaceId, out _);
            Interlocked.Increment(ref _generation);
            return new UnmergeOutcome(profile.Id, results, NotHeld: false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// How far the pipeline (all partitions, whoever holds them) is behind the log: events (by position) after the lowest
    /// checkpoint, and the age of the oldest event after it.
    /// </summary>
    public async Task<PipelineLag> GetLagAsync(CancellationToken cancellationToken)
    {
        var position = await PipelinePartitions.LowestCheckpointAsync(store, cancellationToken);
        var last = await store.Events.LastSequenceAsync(cancellationToken);
        var next = await store.Events.ReadAfterAsync(position, 1, cancellationToken);
        var seconds = next.Count == 0 ? 0 : Math.Max(0, (time.GetUtcNow() - next[0].ReceivedAt).TotalSeconds);
        return new PipelineLag(position, Math.Max(0, last - position), seconds);
    }

    // What to read: the checkpoints of the given partitions that hold workspaces (an empty partition has nothing to read;
    // its checkpoint is set to the end of the log when its first workspace is created). A worker that holds every
    // partition with workspaces reads the whole log; one that shares them reads only its partitions' events.
    private async Task<ReadPlan> PlanAsync(IReadOnlySet<int> partitions, CancellationToken cancellationToken)
    {
        var positions = new Dictionary<int, long>();
        var occupied = new HashSet<int>();
        foreach (var workspace in await store.Sources.ListWorkspacesAsync(cancellationToken))
        {
            _partitionOfWorkspace[workspace.Id] = workspace.Partition;
            occupied.Add(workspace.Partition);
        }

        var checkpoints = new Dictionary<string, CheckpointState>(StringComparer.Ordinal);
        foreach (var partition in partitions.Where(occupied.Contains))
        {
            var consumer = PipelinePartitions.ConsumerOf(partition);
            checkpoints[consumer] = await store.Profiles.ReadCheckpointAsync(consumer, cancellationToken);
            positions[partition] = checkpoints[consumer].Position;
        }

        Cache.Verify(checkpoints);

        return new ReadPlan(positions, occupied.IsSubsetOf(partitions) ? null : partitions);
    }

    // Reads the batch after the lowest of the partitions' positions and parses it per workspace, with each workspace's
    // current rules. Events of other partitions, and of a partition that is further on already, are skipped unparsed.
    private async Task<PreparedBatch?> PrepareAsync(ReadPlan plan, CancellationToken cancellationToken)
    {
        var positions = plan.Positions;
        if (positions.Count == 0)
        {
            return null;
        }

        var after = positions.Values.Min();
        var reading = Stopwatch.GetTimestamp();
        IReadOnlyList<StoredEvent> events;
        long through;
        if (plan.Filter is null)
        {
            events = await store.Events.ReadAfterAsync(after, BatchSize, cancellationToken);
            Times.Add(PipelinePhase.Read, reading);
            if (events.Count == 0)
            {
                return null;
            }

            through = events[^1].Sequence;
        }
        else
        {
            // Only this worker's partitions, filtered by the store. An event at or below the log's last position is
            // committed with every event before it (log order = commit order, ADR 6), so when less than a batch comes
            // back the partitions have been read through that position, and their checkpoints may move there.
            var last = await store.Events.LastSequenceAsync(cancellationToken);
            if (last <= after)
            {
                return null;
            }

            events = await store.Events.ReadPartitionsAfterAsync(after, last, BatchSize, plan.Filter, cancellationToken);
            Times.Add(PipelinePhase.Read, reading);
            through = events.Count == BatchSize ? events[^1].Sequence : last;
        }

        var parsing = Stopwatch.GetTimestamp();
        var prepared = new PreparedBatch(events, plan, through);
        try
        {
            foreach (var (workspaceId, ofWorkspace) in await ByWorkspaceAsync(events, cancellationToken))
            {
                var partition = await PartitionOfAsync(workspaceId, cancellationToken);
                if (!positions.TryGetValue(partition, out var position))
                {
                    if (workspaceId.Length > 0 && Partitions.Contains(partition))
                    {
                        // A workspace created since in a partition that was empty: start over with its checkpoint too.
                        Interlocked.Increment(ref _generation);
                    }

                    continue;
                }

                var mine = position < events[0].Sequence ? ofWorkspace : ofWorkspace.Where(e => e.Sequence > position).ToList();
                if (mine.Count > 0)
                {
                    var rules = await RulesAsync(workspaceId, cancellationToken);
                    prepared.Parts.Add((workspaceId, new ProfileBatch(workspaceId, rules, mine, _definitions.GetValueOrDefault(workspaceId))));
                }
            }

            Times.Add(PipelinePhase.Parse, parsing);
            return prepared;
        }
        catch
        {
            prepared.Dispose();
            throw;
        }
    }

    // Decides a batch against the pending batches before it, the cache, and the store, adding its change set to theirs.
    // The first move of each checkpoint in a commit expects the version the worker's own last write left.
    private async Task DecideAsync(PreparedBatch batch, PendingChanges pending, CancellationToken cancellationToken)
    {
        var changes = new ChangeSet();
        foreach (var (partition, position) in batch.Positions.Where(p => p.Value < batch.Last))
        {
            var consumer = PipelinePartitions.ConsumerOf(partition);
            changes.Checkpoints.Add(new CheckpointMove(consumer, position, batch.Last, pending.Checked.Add(consumer) ? Cache.VersionOf(consumer) : null));
        }

        foreach (var (workspaceId, part) in batch.Parts)
        {
            await DecideAsync(workspaceId, part, replacing: null, announce: batch.Last > _silentThrough, changes, Cache.Of(workspaceId), cancellationToken);
        }

        pending.Add(changes, batch.Events.Count);
    }

    // A workspace's cached profiles follow the audience definitions their batches used: after a definition change (which
    // may have removed an audience's memberships from the store) the pending batches are applied and the cache forgets.
    private async Task<PendingChanges> ReadyForAsync(PreparedBatch batch, PendingChanges pending, CancellationToken cancellationToken)
    {
        foreach (var (workspaceId, _) in batch.Parts)
        {
            var version = await store.Audiences.GetDefinitionsVersionAsync(workspaceId, cancellationToken);
            if (!Cache.SameDefinitions(workspaceId, version))
            {
                await CommitAsync(pending, cancellationToken);
                Cache.Forget();
                return await ReadyForAsync(batch, new PendingChanges(), cancellationToken);
            }
        }

        return pending;
    }

    // Applies the pending change sets in one transaction (the caller forsakes the cache when it fails).
    private async Task CommitAsync(PendingChanges pending, CancellationToken cancellationToken)
    {
        var committing = Stopwatch.GetTimestamp();
        await ApplyAsync(pending.ChangeSets, cancellationToken);
        Cache.Committed(pending.ChangeSets);
        Times.Add(PipelinePhase.Commit, committing);
    }

    // The cache may differ from the store (a failure mid-batch, or a write beside it): it is dropped, and the next batch
    // starts from a new plan.
    private void Forsake()
    {
        Cache.Reset();
        Interlocked.Increment(ref _generation);
    }

    private async Task DecideAsync(
        string workspaceId, ProfileBatch batch, ProfileState? replacing, bool announce, ChangeSet changes, WorkspaceOverlay? overlay, CancellationToken cancellationToken)
    {
        var identities = await LoadIdentitiesAsync(workspaceId, batch.Keys, replacing, overlay, cancellationToken);
        var profiles = await LoadProfilesAsync([.. identities.Select(p => p.Id)], overlay, cancellationToken);
        var accounts = await LoadAccountsAsync(workspaceId, batch.GroupIds, overlay, cancellationToken);
        var (named, analyzed) = await NamedProfilesAsync(workspaceId, batch, replacing, overlay, cancellationToken);
        // Profiles whose traits analytics events set are settled like any other: with their state and their identifiers
        // (else a "has email" audience would see none). One of each per id: the identifier-based load may hold them already.
        var held = profiles.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        profiles.AddRange(analyzed.Values.Where(p => held.Add(p.Id)));
        var known = identities.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var unknown = new List<string>();
        foreach (var id in analyzed.Keys.Where(known.Add))
        {
            if (overlay?.IdentityOf(id) is { } identity)
            {
                identities.Add(identity);
            }
            else
            {
                unknown.Add(id);
            }
        }

        if (unknown.Count > 0)
        {
            // Evicted from the cache, or (when it is not complete) never in it.
            identities.AddRange((await store.Audiences.LoadIdentitiesOfAsync(unknown, cancellationToken)).Select(i => Checked(i, overlay)));
        }

        var stage = await StageAsync(workspaceId, announce, cancellationToken);
        batch.Decide(identities, profiles, accounts, named, stage, time.GetUtcNow(), changes, replacing, overlay);
    }

    // The profiles holding any of the keys: those the cache holds as the worker's batches left them, the rest as stored.
    // The cache knows every identifier of the profiles it knows (held or evicted; an evicted one is read by id), so the
    // store is searched only for identifiers no profile it knows has, and not at all when the cache is complete.
    private async Task<List<ProfileIdentity>> LoadIdentitiesAsync(
        string workspaceId, IReadOnlyCollection<Identifier> keys, ProfileState? replacing, WorkspaceOverlay? overlay, CancellationToken cancellationToken)
    {
        if (overlay is null)
        {
            return [.. (await store.Profiles.LoadIdentitiesAsync(workspaceId, keys, cancellationToken)).Where(p => p.Id != replacing?.Id)];
        }

        var found = new Dictionary<string, ProfileIdentity>(StringComparer.Ordinal);
        var evicted = new HashSet<string>(StringComparer.Ordinal);
        var missing = new List<Identifier>();
        foreach (var key in keys)
        {
            if (overlay.OwnerOf(key) is not { } owner)
            {
                missing.Add(key);
            }
            else if (overlay.IdentityOf(owner) is { } identity)
            {
                found.TryAdd(owner, identity);
            }
            else
            {
                evicted.Add(owner);
            }
        }

        if (evicted.Count > 0)
        {
            foreach (var identity in await store.Audiences.LoadIdentitiesOfAsync(evicted, cancellationToken))
            {
                found.TryAdd(identity.Id, Checked(identity, overlay));
            }
        }

        if (missing.Count > 0 && !overlay.Complete)
        {
            foreach (var identity in await store.Profiles.LoadIdentitiesAsync(workspaceId, missing, cancellationToken))
            {
                found.TryAdd(identity.Id, Checked(identity, overlay));
            }
        }

        return [.. found.Values];
    }

    // A profile read from the store must agree with the cache: each of its identifiers known as its own if the cache knows
    // the profile (evicted: read by id), and unknown if not. Anything else means the store changed under the cache
    // (another worker writes the partition, and this batch's commit would be refused anyway): it is refused now, the
    // cache forsaken, and the batch read again.
    private static ProfileIdentity Checked(ProfileIdentity identity, WorkspaceOverlay? overlay)
    {
        var own = overlay?.Knows(identity.Id) == true ? identity.Id : null;
        if (overlay is not null && identity.Identifiers.Any(h => overlay.OwnerOf(h.Identifier) != own))
        {
            throw new CheckpointConflictException(
                $"Profile {identity.Id} changed in the store since this worker last wrote it: another worker writes its partition. Nothing was applied.");
        }

        return identity;
    }

    private async Task<List<ProfileState>> LoadProfilesAsync(IReadOnlyCollection<string> ids, WorkspaceOverlay? overlay, CancellationToken cancellationToken)
    {
        var (profiles, missing) = FromOverlay(ids, id => overlay?.StateOf(id));
        if (missing.Count > 0)
        {
            profiles.AddRange(await store.Profiles.LoadProfilesAsync(missing, cancellationToken));
        }

        return profiles;
    }

    private async Task<List<AccountState>> LoadAccountsAsync(string workspaceId, IReadOnlyCollection<string> groupIds, WorkspaceOverlay? overlay, CancellationToken cancellationToken)
    {
        var (accounts, missing) = FromOverlay(groupIds, groupId => overlay?.AccountOf(groupId));
        if (missing.Count > 0 && overlay?.Complete != true)
        {
            accounts.AddRange(await store.Profiles.LoadAccountsAsync(workspaceId, missing, cancellationToken));
        }

        return accounts;
    }

    // What the worker's memory holds of the keys, and the keys it does not (for the store to load).
    private static (List<T> Found, List<string> Missing) FromOverlay<T>(IReadOnlyCollection<string> keys, Func<string, T?> cached)
        where T : class
    {
        var found = new List<T>(keys.Count);
        var missing = new List<string>();
        foreach (var key in keys)
        {
            if (cached(key) is { } value)
            {
                found.Add(value);
            }
            else
            {
                missing.Add(key);
            }
        }

        return (found, missing);
    }

    // Where the profiles named by Samlet's own events live now (Named: id → live id), and the live states of those whose
    // traits analytics events set (Analyzed, by live id). Known ids are loaded at once; a redirect is followed one by one.
    // The cache goes first: it may hold a profile the store does not have yet, or a newer state.
    private async Task<(Dictionary<string, string> Named, Dictionary<string, ProfileState> Analyzed)> NamedProfilesAsync(
        string workspaceId, ProfileBatch batch, ProfileState? replacing, WorkspaceOverlay? overlay, CancellationToken cancellationToken)
    {
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        var analyzed = new Dictionary<string, ProfileState>(StringComparer.Ordinal);
        if (batch.NamedProfiles.Count == 0)
        {
            return (named, analyzed);
        }

        // A complete cache knows every profile; the store has the current copy of those it evicted.
        var complete = overlay?.Complete == true;
        var live = complete ? [] : (await store.Profiles.LoadProfilesAsync(batch.NamedProfiles, cancellationToken))
            .Where(p => p.WorkspaceId == workspaceId).ToDictionary(p => p.Id, StringComparer.Ordinal);
        foreach (var id in batch.NamedProfiles)
        {
            if (id == replacing?.Id)
            {
                // A profile re-derived by this unmerge keeps its id; its stored state is being replaced.
                named[id] = id;
                continue;
            }

            // Any other may have been merged away since its event was appended.
            var state = overlay?.Live(id) ?? live.GetValueOrDefault(id)
                ?? (complete && !overlay!.Knows(id) ? null : await store.Profiles.GetProfileAsync(workspaceId, id, cancellationToken));
            if (state is not null && overlay?.Live(state.Id) is { } newer)
            {
                state = newer;
            }

            if (state is null)
            {
                continue;
            }

            named[id] = state.Id;
            if (batch.AnalyzedProfiles.Contains(id) && state.Id != replacing?.Id)
            {
                // One state per live id (a survivor may be named, and reached through a redirect, too).
                analyzed.TryAdd(state.Id, state);
            }
        }

        return (named, analyzed);
    }

    // A workspace's partition never changes: it is looked up once (events of an unknown source belong to partition 0).
    private async Task<int> PartitionOfAsync(string workspaceId, CancellationToken cancellationToken)
    {
        if (!_partitionOfWorkspace.TryGetValue(workspaceId, out var partition))
        {
            foreach (var workspace in await store.Sources.ListWorkspacesAsync(cancellationToken))
            {
                _partitionOfWorkspace[workspace.Id] = workspace.Partition;
            }

            partition = _partitionOfWorkspace.GetOrAdd(workspaceId, 0);
        }

        return partition;
    }

    private async Task<List<(string WorkspaceId, List<StoredEvent> Events)>> ByWorkspaceAsync(IReadOnlyList<StoredEvent> events, CancellationToken cancellationToken)
    {
        var groups = new List<(string, List<StoredEvent>)>();
        var index = new Dictionary<string, List<StoredEvent>>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (!_workspaceOfSource.TryGetValue(e.SourceId, out var workspaceId))
            {
                var source = await store.Sources.GetSourceAsync(e.SourceId, cancellationToken);
                workspaceId = source?.WorkspaceId ?? "";
                _workspaceOfSource[e.SourceId] = workspaceId;
            }

            if (!index.TryGetValue(workspaceId, out var list))
            {
                index[workspaceId] = list = [];
                groups.Add((workspaceId, list));
            }

            list.Add(e);
        }

        return groups;
    }

    // Rules and cuts are read every batch (two small queries) so that a rule change made anywhere applies to the next batch.
    private async Task<IdentityRuleSet> RulesAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var json = await store.Profiles.GetIdentityRulesAsync(workspaceId, cancellationToken);
        var cuts = await store.Profiles.GetCutsAsync(workspaceId, cancellationToken);
        if (_rules.TryGetValue(workspaceId, out var cached) && cached.Json == json && cached.CutCount == cuts.Count)
        {
            return cached.Rules;
        }

        var rules = json is null ? IdentityRuleSet.Default : IdentityRuleSet.Build(IdentityRulesJson.Parse(json));
        rules = rules.WithCuts(cuts.Select(c => c.Identifier));
        _rules[workspaceId] = new CachedRules(json, cuts.Count, rules);
        return rules;
    }

    // Emitted events need their workspace's own (internal, disabled) source to exist before they are appended.
    // An unmerge's, a re-check's or a backfill's change set, pinned to the checkpoint: it writes profiles from the store's
    // copies, beside the cache, which therefore forgets them and the checkpoints (raised by the pin) and starts over.
    private async Task ApplyPinnedAsync(ChangeSet changes, CancellationToken cancellationToken)
    {
        try
        {
            await ApplyAsync([changes], cancellationToken);
        }
        finally
        {
            Forsake();
        }
    }

    private async Task ApplyAsync(IReadOnlyList<ChangeSet> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        foreach (var sourceId in changes.SelectMany(c => c.Emitted).Select(e => e.SourceId).Distinct())
        {
            if (_ownSources.TryAdd(sourceId, 0))
            {
                await OwnSources.EnsureAsync(store.Sources, sourceId, time.GetUtcNow(), cancellationToken);
            }
        }

        await store.ApplyAsync(changes, cancellationToken);
    }

    private sealed record CachedRules(string? Json, int CutCount, IdentityRuleSet Rules);

    // Positions: the held partitions (with workspaces) and where their checkpoints are; Filter: the partitions to read
    // when the worker shares them with others, null when it reads the whole log.
    private sealed record ReadPlan(Dictionary<int, long> Positions, IReadOnlySet<int>? Filter);

    // Reads and parses the batches after a plan on a thread of its own, up to a number of batches ahead of the worker,
    // so that the reading goes on while the worker commits. The end of the log is a null batch; a failure is thrown by
    // the next NextAsync. Disposing stops the reading and releases the batches not taken.
    private sealed class ReadAhead : IAsyncDisposable
    {
        private readonly Channel<PreparedBatch?> _batches;
        private readonly CancellationTokenSource _stop;
        private readonly Task _reading;

        public ReadAhead(PipelineWorker worker, ReadPlan plan, int depth, CancellationToken cancellationToken)
        {
            _batches = Channel.CreateBounded<PreparedBatch?>(new BoundedChannelOptions(Math.Max(1, depth)) { SingleReader = true, SingleWriter = true });
            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _reading = Task.Run(() => ReadAsync(worker, plan, _stop.Token), CancellationToken.None);
        }

        public async Task<PreparedBatch?> NextAsync(CancellationToken cancellationToken)
        {
            try
            {
                return await _batches.Reader.ReadAsync(cancellationToken);
            }
            catch (ChannelClosedException closed) when (closed.InnerException is { } failure)
            {
                ExceptionDispatchInfo.Throw(failure);
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _reading;
            while (_batches.Reader.TryRead(out var batch))
            {
                batch?.Dispose();
            }

            _stop.Dispose();
        }

        private async Task ReadAsync(PipelineWorker worker, ReadPlan plan, CancellationToken cancellationToken)
        {
            try
            {
                while (true)
                {
                    var batch = await worker.PrepareAsync(plan, cancellationToken);
                    try
                    {
                        await _batches.Writer.WriteAsync(batch, cancellationToken);
                    }
                    catch
                    {
                        batch?.Dispose();
                        throw;
                    }

                    if (batch is null)
                    {
                        break;
                    }

                    plan = batch.After;
                }

                _batches.Writer.TryComplete();
            }
            catch (Exception e)
            {
                _batches.Writer.TryComplete(e);
            }
        }
    }

    // Last: how far the log has been read for the plan's partitions (the last event's position, or further when a
    // filtered read found no more of theirs).
    private sealed class PreparedBatch(IReadOnlyList<StoredEvent> events, ReadPlan plan, long last) : IDisposable
    {
        public IReadOnlyList<StoredEvent> Events { get; } = events;

        public Dictionary<int, long> Positions => plan.Positions;

        public long Last { get; } = last;

        /// <summary>The plan for the next batch: the partitions' positions once this one is applied.</summary>
        public ReadPlan After => plan with { Positions = Positions.ToDictionary(p => p.Key, p => Math.Max(p.Value, Last)) };

        public List<(string WorkspaceId, ProfileBatch Batch)> Parts { get; } = [];

        public void Dispose()
        {
            foreach (var (_, batch) in Parts)
            {
                batch.Dispose();
            }
        }
    }
}

/// <summary>The profile the unmerge started from, and the profiles its events belong to now.</summary>
public sealed record UnmergeOutcome(string ProfileId, IReadOnlyList<string> Profiles, bool NotHeld);

/// <summary><see cref="Position"/>: the checkpoint; <see cref="EventsBehind"/>: log positions after it; <see cref="SecondsBehind"/>: age of the oldest unprocessed event.</summary>
public sealed record PipelineLag(long Position, long EventsBehind, double SecondsBehind);
