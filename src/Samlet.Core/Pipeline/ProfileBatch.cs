using System.Text.Json;
using Samlet.Audiences;
using Samlet.Events;
using Samlet.Identity;
using Samlet.Profiles;
using Samlet.Sources;

namespace Samlet.Pipeline;

/// <summary>
/// The identity and profile stages over one workspace's events of a batch, in log order, without I/O: the worker
/// loads what <see cref="Keys"/>, <see cref="GroupIds"/> and <see cref="NamedProfiles"/> name, and <see cref="Decide"/>
/// turns it into a change set. Samlet's own events (<see cref="OwnSources"/>) take no part in identity resolution: they
/// name their profile, are linked to its timeline and fold into nothing; analytics events also set its traits.
/// A payload stays parsed until <see cref="Decide"/> only when the workspace's definitions read it (or it is a group's or
/// Samlet's own event): parsed batches wait in the read-ahead, and what they hold is most of what survives a collection.
/// Dispose to release the parsed payloads.
/// </summary>
internal sealed class ProfileBatch : IDisposable
{
    private readonly string _workspaceId;
    private readonly IdentityResolver _resolver;
    private readonly List<Item> _items = [];

    /// <param name="definitions">The workspace's definitions as the worker last loaded them, to tell which payloads stay
    /// parsed (null: all); <see cref="Decide"/> parses again what the definitions it is given read and these did not.</param>
    public ProfileBatch(string workspaceId, IdentityRuleSet rules, IEnumerable<StoredEvent> events, WorkspaceDefinitions? definitions = null)
    {
        _workspaceId = workspaceId;
        _resolver = new IdentityResolver(rules);
        var audienceSource = OwnSources.AudiencesOf(workspaceId);
        var analyticsSource = OwnSources.AnalyticsOf(workspaceId);

        // Parsing is most of the read-ahead's work and each event's is its own: spread over the cores (one extractor per
        // thread: it keeps lists between calls), then gathered in log order.
        var list = events as IReadOnlyList<StoredEvent> ?? [.. events];
        var parsed = new Item?[list.Count];
        Parallel.For(0, list.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, () => new IdentifierExtractor(rules),
            (i, _, extractor) =>
            {
                parsed[i] = Parse(list[i], extractor, audienceSource, analyticsSource, definitions);
                return extractor;
            },
            _ => { });

        foreach (var item in parsed)
        {
            if (item is null)
            {
                Skipped++;
                continue;
            }

            if (item.NamedProfile is { } named)
            {
                NamedProfiles.Add(named);
                if (item.SetsTraits)
                {
                    AnalyzedProfiles.Add(named);
                }
            }
            else
            {
                item.Identifiers!.CollectLookupKeys(Keys);
                if (item.Identifiers.Account is { } account)
                {
                    GroupIds.Add(account.Value);
                }
            }

            _items.Add(item);
        }
    }

    // Null: an own event that names no profile, or a payload that cannot be read (the log holds only normalised events;
    // one that cannot be read is skipped rather than stopping the pipeline).
    private static Item? Parse(StoredEvent e, IdentifierExtractor extractor, string audienceSource, string analyticsSource, WorkspaceDefinitions? definitions)
    {
        JsonDocument? document = null;
        try
        {
            document = JsonDocument.Parse(e.Payload);
            if (e.SourceId == audienceSource || e.SourceId == analyticsSource)
            {
                if (OwnEvent.ProfileIdOf(document.RootElement) is { } named)
                {
                    var setsTraits = e.SourceId == analyticsSource && e.Type == EventType.Identify;
                    return new Item(e, document, ProfileUpdater.TraitsOf(e.Type, document.RootElement), null, named, setsTraits);
                }

                document.Dispose();
                return null;
            }

            var identifiers = extractor.Extract(document.RootElement);
            var traits = ProfileUpdater.TraitsOf(e.Type, document.RootElement);
            if (e.Type == EventType.Group || definitions?.ReadsPayloadOf(e.Type, e.EventName) != false)
            {
                return new Item(e, document, traits, identifiers, null, false);
            }

            // Only the person's traits are needed later: a copy of their own, and the document goes back to the pool now.
            traits = traits.ValueKind == JsonValueKind.Undefined ? default : traits.Clone();
            document.Dispose();
            return new Item(e, null, traits, identifiers, null, false);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            document?.Dispose();
            return null;
        }
    }

    /// <summary>Every identifier the snapshot must cover.</summary>
    public HashSet<Identifier> Keys { get; } = [];

    /// <summary>The accounts the batch's group events name.</summary>
    public HashSet<string> GroupIds { get; } = new(StringComparer.Ordinal);

    /// <summary>The profiles Samlet's own events of the batch name (the worker finds where merged ones went).</summary>
    public HashSet<string> NamedProfiles { get; } = new(StringComparer.Ordinal);

    /// <summary>Those of <see cref="NamedProfiles"/> whose traits analytics events set (the worker also loads their states and identities).</summary>
    public HashSet<string> AnalyzedProfiles { get; } = new(StringComparer.Ordinal);

    /// <summary>Events whose payload could not be read.</summary>
    public int Skipped { get; private set; }

    /// <summary>
    /// Resolves and applies every event in order against what the store holds (<paramref name="identities"/>: the
    /// profiles holding any of <see cref="Keys"/> and the live profiles of <see cref="AnalyzedProfiles"/>;
    /// <paramref name="profiles"/>: their states; <paramref name="accounts"/>; <paramref name="named"/>: the live profile
    /// of each of <see cref="NamedProfiles"/> the store knows), runs the audience
    /// stage over the profiles it touched, and adds the outcome, with final profile ids, to <paramref name="changes"/>.
    /// <paramref name="replacing"/>: in an unmerge, the profile being re-derived, whose memberships the profile that gets
    /// its id again takes over. <paramref name="overlay"/>: where the worker keeps what the batch leaves for the next one
    /// when its change set is applied later.
    /// </summary>
    public void Decide(
        IEnumerable<ProfileIdentity> identities,
        IEnumerable<ProfileState> profiles,
        IEnumerable<AccountState> accounts,
        IReadOnlyDictionary<string, string> named,
        AudienceStage audiences,
        DateTimeOffset now,
        ChangeSet changes,
        ProfileState? replacing = null,
        WorkspaceOverlay? overlay = null)
    {
        var snapshot = IdentitySnapshot.From(identities);
        var states = new Dictionary<string, ProfileState>(StringComparer.Ordinal);
        foreach (var profile in profiles)
        {
            audiences.Attach(profile);
            states[profile.Id] = profile;
        }

        var accountStates = new Dictionary<string, AccountState>(StringComparer.Ordinal);
        foreach (var account in accounts)
        {
            accountStates[account.GroupId] = account;
        }

        var touched = new HashSet<string>(StringComparer.Ordinal);
        var touchedAccounts = new HashSet<string>(StringComparer.Ordinal);
        var redirects = new Dictionary<string, string>(StringComparer.Ordinal);
        var identifiers = new List<ProfileIdentifier>();
        var links = new List<EventLink>();
        var history = new List<IdentityRecord>();
        var members = new List<AccountMember>();
        var absorbing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in _items)
        {
            var e = item.Event;
            if (item.Identifiers is null)
            {
                // The store knows where a named profile lives now, unless this batch created it (a rebuild).
                var id = item.NamedProfile!;
                if (!named.TryGetValue(id, out var live) && !states.ContainsKey(live = id) && !redirects.ContainsKey(id))
                {
                    continue;
                }

                if (item.SetsTraits)
                {
                    // Predictions set traits (and so may move audiences) but are not the person's activity: no counts,
                    // no seen times, no aggregates.
                    if (!states.TryGetValue(Final(redirects, live), out var analyzed))
                    {
                        continue;
                    }

                    ProfileUpdater.SetTraits(analyzed, e, item.Traits);
                    audiences.Observe(analyzed, e, item.Document!.RootElement, item.Traits, now);
                    touched.Add(analyzed.Id);
                }

                links.Add(new EventLink(live, e.Sequence));
                continue;
            }

            var decision = _resolver.Resolve(snapshot, item.Identifiers, () => ProfileIds.For(_workspaceId, e.SourceId, e.MessageId, e.Sequence));
            snapshot.Apply(decision);
            // The definitions may have changed since the batch was parsed: a payload they read now is parsed again.
            using var reparsed = item.Document is null && audiences.Definitions.ReadsPayloadOf(e.Type, e.EventName) ? JsonDocument.Parse(e.Payload) : null;
            var root = (item.Document ?? reparsed)?.RootElement ?? default;
            if (decision.Account is { } group)
            {
                if (!accountStates.TryGetValue(group.Value, out var account))
                {
                    accountStates[group.Value] = account = new AccountState(_workspaceId, group.Value);
                }

                ProfileUpdater.ObserveGroup(account, e, root);
                touchedAccounts.Add(group.Value);
            }

            if (decision.ProfileId is not { } profileId)
            {
                continue;
            }

            var profile = Profile(states, profileId, decision, audiences, replacing);
            foreach (var merged in decision.Merged)
            {
                if (states.Remove(merged.ProfileId, out var absorbed))
                {
                    profile.Absorb(absorbed);
                    audiences.Merged(profile);
                    absorbing.Add(profileId);
                }

                redirects[merged.ProfileId] = profileId;
                touched.Remove(merged.ProfileId);
            }

            ProfileUpdater.Observe(profile, e, item.Traits);
            audiences.Observe(profile, e, root, item.Traits, now);
            touched.Add(profileId);
            links.Add(new EventLink(profileId, e.Sequence));
            foreach (var added in decision.Added)
            {
                identifiers.Add(new ProfileIdentifier(_workspaceId, profileId, added, decision.Timestamp));
            }

            audiences.Identified(profile, decision.Added);

            if (decision.Account is { } linked)
            {
                members.Add(new AccountMember(_workspaceId, linked.Value, profileId, e.Timestamp));
            }

            if (IsWorthRecording(decision))
            {
                history.Add(new IdentityRecord(
                    profileId, e.Sequence, e.MessageId, e.Timestamp, decision.Kind.ToString().ToLowerInvariant(),
                    [.. decision.Merged.Select(m => m.ProfileId)], decision.Explain()));
            }
        }

        foreach (var from in redirects.Keys)
        {
            changes.Redirects.Add(new ProfileRedirect(_workspaceId, from, Final(redirects, from)));
        }

        foreach (var id in touched)
        {
            var profile = states[id];
            profile.UpdatedAt = now;
            // A survivor's memberships include the absorbed profiles', whose rows went with their redirect: write them again.
            audiences.Settle(profile, snapshot.Find(id), now, changes, rewriteMemberships: replacing is not null || absorbing.Contains(id));
            changes.Profiles.Add(profile);
        }

        changes.Identifiers.AddRange(identifiers.Select(i => i with { ProfileId = Final(redirects, i.ProfileId) }));
        changes.Events.AddRange(links.Select(l => l with { ProfileId = Final(redirects, l.ProfileId) }));
        changes.History.AddRange(history.Select(h => h with { ProfileId = Final(redirects, h.ProfileId) }));
        changes.Members.AddRange(members.Select(m => m with { ProfileId = Final(redirects, m.ProfileId) }).Distinct());
        changes.Accounts.AddRange(touchedAccounts.Select(g => accountStates[g]));
        overlay?.Keep(snapshot, states.Values, redirects, accountStates.Values);
    }

    // Identity changes, and refusals that explain why two profiles were kept apart; not every blocked anonymous id.
    private static bool IsWorthRecording(IdentityDecision decision) =>
        decision.ChangesIdentities || decision.LeftOut.Any(l => l.Reason is LeftOutReason.MergeRefused or LeftOutReason.LimitReached);

    private ProfileState Profile(Dictionary<string, ProfileState> states, string profileId, IdentityDecision decision, AudienceStage audiences, ProfileState? replacing)
    {
        if (!states.TryGetValue(profileId, out var profile))
        {
            // A new profile (or, defensively, one whose state the store lacks): created at the event's time.
            states[profileId] = profile = new ProfileState(profileId, _workspaceId, decision.ProfileCreatedAt ?? decision.Timestamp);
            audiences.Attach(profile, fresh: true);
            if (replacing?.Id == profileId)
            {
                // The re-derived profile keeps its id and so its memberships: only real changes are announced.
                foreach (var (key, entered) in replacing.Audiences)
                {
                    profile.Audiences[key] = entered;
                }
            }
        }

        return profile;
    }

    private static string Final(Dictionary<string, string> redirects, string id)
    {
        while (redirects.TryGetValue(id, out var next))
        {
            id = next;
        }

        return id;
    }

    public void Dispose()
    {
        foreach (var item in _items)
        {
            item.Document?.Dispose();
        }

        _items.Clear();
    }

    /// <summary>
    /// An event to resolve (<see cref="Identifiers"/>), or one of Samlet's own events (<see cref="NamedProfile"/>;
    /// <see cref="SetsTraits"/>: an analytics identify), with the person's traits it carries and its parsed payload
    /// while something reads it.
    /// </summary>
    private sealed record Item(StoredEvent Event, JsonDocument? Document, JsonElement Traits, EventIdentifiers? Identifiers, string? NamedProfile, bool SetsTraits);
}
