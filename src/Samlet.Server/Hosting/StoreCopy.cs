using Samlet.Events;
using Samlet.Storage;

namespace Samlet.Server.Hosting;

/// <summary>
/// Copies one store into another: workspaces, sources and API keys, identity rules and unmerge cuts, computed-trait and
/// audience definitions, analytics settings, the event log in log order, and the rejected
/// events oldest first. Idempotent, so an interrupted copy is simply run again: events are de-duplicated by the
/// target's (source, messageId) key, settings rows are created only when missing, and rejected events resume
/// after those an earlier run copied.
/// </summary>
internal sealed class StoreCopy(ICdpStore from, ICdpStore to)
{
    private const int BatchSize = 10_000;

    /// <summary>Creates missing workspaces, sources, API keys, cuts and definitions; updates sources, rules and definitions that changed. Returns how many rows were written.</summary>
    public async Task<int> CopySettingsAsync(CancellationToken cancellationToken)
    {
        var written = 0;
        var existing = (await to.Sources.ListWorkspacesAsync(cancellationToken)).Select(w => w.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var workspace in await from.Sources.ListWorkspacesAsync(cancellationToken))
        {
            if (existing.Add(workspace.Id))
            {
                await to.Sources.CreateWorkspaceAsync(workspace, cancellationToken);
                written++;
            }

            foreach (var source in await from.Sources.ListSourcesAsync(workspace.Id, cancellationToken))
            {
                var copied = await to.Sources.GetSourceAsync(source.Id, cancellationToken);
                if (copied is null)
                {
                    await to.Sources.CreateSourceAsync(source, cancellationToken);
                    written++;
                }
                else if (copied != source)
                {
                    await to.Sources.UpdateSourceAsync(source, cancellationToken);
                    written++;
                }
            }

            foreach (var key in await from.Sources.ListApiKeysAsync(workspace.Id, cancellationToken))
            {
                if (await to.Sources.FindApiKeyByHashAsync(key.KeyHash, cancellationToken) is null)
                {
                    await to.Sources.CreateApiKeyAsync(key, cancellationToken);
                    written++;
                }
            }

            // Identity rules and unmerge cuts shape the profiles but cannot be derived from the log: copy them too.
            if (await from.Profiles.GetIdentityRulesAsync(workspace.Id, cancellationToken) is { } rules &&
                rules != await to.Profiles.GetIdentityRulesAsync(workspace.Id, cancellationToken))
            {
                await to.Profiles.SetIdentityRulesAsync(workspace.Id, rules, cancellationToken);
                written++;
            }

            var present = (await to.Profiles.GetCutsAsync(workspace.Id, cancellationToken)).Select(c => c.Identifier).ToHashSet();
            var cuts = new Pipeline.ChangeSet();
            cuts.Cuts.AddRange((await from.Profiles.GetCutsAsync(workspace.Id, cancellationToken)).Where(c => !present.Contains(c.Identifier)));
            if (cuts.Cuts.Count > 0)
            {
                await to.ApplyAsync(cuts, cancellationToken);
                written += cuts.Cuts.Count;
            }

            // Analytics settings are configuration; runs are a history the target starts afresh (their predictions are events, copied with the log).
            if (await from.Analytics.GetSettingsAsync(workspace.Id, cancellationToken) is { } analytics &&
                analytics != await to.Analytics.GetSettingsAsync(workspace.Id, cancellationToken))
            {
                await to.Analytics.PutSettingsAsync(workspace.Id, analytics, workspace.CreatedAt, cancellationToken);
                written++;
            }

            written += await CopyDefinitionsAsync(workspace.Id, cancellationToken);
        }

        return written;
    }

    /// <summary>
    /// Definitions are configuration: each one missing or different in the target is put there, in the order they
    /// changed in the source, with their time. The target counts its own versions (and restarts its own backfill).
    /// </summary>
    private async Task<int> CopyDefinitionsAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var present = (await to.Audiences.ListDefinitionsAsync(workspaceId, cancellationToken)).ToDictionary(d => (d.Kind, d.Key), d => d.Json);
        var written = 0;
        foreach (var definition in (await from.Audiences.ListDefinitionsAsync(workspaceId, cancellationToken)).OrderBy(d => d.Version))
        {
            if (!present.TryGetValue((definition.Kind, definition.Key), out var json) || json != definition.Json)
            {
                await to.Audiences.PutDefinitionAsync(workspaceId, definition.Kind, definition.Key, definition.Json, definition.UpdatedAt, cancellationToken);
                written++;
            }
        }

        return written;
    }

    /// <summary>Appends the whole event log in order, <see cref="BatchSize"/> events per transaction.</summary>
    /// <param name="progress">Receives the number of events read so far.</param>
    public async Task<AppendResult> CopyEventsAsync(IProgress<long>? progress, CancellationToken cancellationToken)
    {
        long after = 0, read = 0;
        int stored = 0, present = 0, refused = 0;
        for (var page = await from.Events.ReadAfterAsync(after, BatchSize, cancellationToken); page.Count > 0; page = await from.Events.ReadAfterAsync(after, BatchSize, cancellationToken))
        {
            var result = await to.Events.AppendAsync([.. page.Select(ToCollected)], [], cancellationToken);
            (stored, present, refused) = (stored + result.Stored, present + result.Duplicates, refused + result.Rejected);
            after = page[^1].Sequence;
            progress?.Report(read += page.Count);
        }

        return new AppendResult(stored, present, refused);
    }

    /// <summary>Copies the rejected events the target does not have yet. Returns how many it copied.</summary>
    public async Task<int> CopyRejectedAsync(CancellationToken cancellationToken)
    {
        var sourceIds = await SourceIdsAsync(cancellationToken);
        var all = await RejectedOldestFirstAsync(from, sourceIds, cancellationToken);
        var copied = await RejectedOldestFirstAsync(to, sourceIds, cancellationToken);
        if (copied.Count > all.Count || !copied.Zip(all).All(p => Same(p.First, p.Second)))
        {
            throw new InvalidOperationException($"The target holds {copied.Count:N0} rejected events that are not an earlier copy of the source's {all.Count:N0}; copy into a fresh database.");
        }

        for (var i = copied.Count; i < all.Count; i += BatchSize)
        {
            RejectedEvent[] batch = [.. all.Skip(i).Take(BatchSize).Select(r => new RejectedEvent(r.SourceId, r.ReceivedAt, r.Reason, r.Payload))];
            await to.Events.AppendAsync([], batch, cancellationToken);
        }

        return all.Count - copied.Count;
    }

    /// <summary>Compares what both stores hold; returns the differences (none when the copy is complete).</summary>
    public async Task<List<string>> VerifyAsync(CancellationToken cancellationToken)
    {
        var differences = new List<string>();
        void Compare(string what, long source, long target)
        {
            if (source != target)
            {
                differences.Add($"{what}: the source has {source:N0}, the target {target:N0}");
            }
        }

        Compare("events", await from.Events.CountAsync(cancellationToken), await to.Events.CountAsync(cancellationToken));
        var sourceIds = await SourceIdsAsync(cancellationToken);
        Compare("rejected events", (await RejectedOldestFirstAsync(from, sourceIds, cancellationToken)).Count, (await RejectedOldestFirstAsync(to, sourceIds, cancellationToken)).Count);
        foreach (var workspace in await from.Sources.ListWorkspacesAsync(cancellationToken))
        {
            Compare($"sources of {workspace.Id}", (await from.Sources.ListSourcesAsync(workspace.Id, cancellationToken)).Count, (await to.Sources.ListSourcesAsync(workspace.Id, cancellationToken)).Count);
            Compare($"API keys of {workspace.Id}", (await from.Sources.ListApiKeysAsync(workspace.Id, cancellationToken)).Count, (await to.Sources.ListApiKeysAsync(workspace.Id, cancellationToken)).Count);
            Compare($"definitions of {workspace.Id}", (await from.Audiences.ListDefinitionsAsync(workspace.Id, cancellationToken)).Count, (await to.Audiences.ListDefinitionsAsync(workspace.Id, cancellationToken)).Count);
        }

        return differences;
    }

    private async Task<string[]> SourceIdsAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        foreach (var workspace in await from.Sources.ListWorkspacesAsync(cancellationToken))
        {
            ids.AddRange((await from.Sources.ListSourcesAsync(workspace.Id, cancellationToken)).Select(s => s.Id));
        }

        return [.. ids];
    }

    private static async Task<List<StoredRejectedEvent>> RejectedOldestFirstAsync(ICdpStore store, string[] sourceIds, CancellationToken cancellationToken)
    {
        var all = new List<StoredRejectedEvent>();
        for (var page = await store.Events.QueryRejectedAsync(new RejectedQuery(sourceIds, Limit: BatchSize), cancellationToken); page.Count > 0; page = await store.Events.QueryRejectedAsync(new RejectedQuery(sourceIds, page[^1].Id, BatchSize), cancellationToken))
        {
            all.AddRange(page);
        }

        all.Reverse();
        return all;
    }

    private static bool Same(StoredRejectedEvent a, StoredRejectedEvent b) =>
        a.SourceId == b.SourceId && a.ReceivedAt == b.ReceivedAt && a.Reason == b.Reason && a.Payload.AsSpan().SequenceEqual(b.Payload);

    private static CollectedEvent ToCollected(StoredEvent e) =>
        new(e.SourceId, e.MessageId, e.Type, e.EventName, e.UserId, e.AnonymousId, e.Timestamp, e.ReceivedAt, e.Payload);
}
