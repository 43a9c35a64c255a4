using System.Runtime.InteropServices;

namespace Samlet.Identity;

/// <summary>
/// Decides, purely, what an event does to the identity graph (Segment's flat matching with limits and priorities):
/// the event's identifiers are taken in priority order; each one held by a profile pulls that profile in, each new one
/// is added, unless that would give the resulting profile more values of some type than its limit allows, in which case
/// that identifier (the least important so far) is left out. No profile → create; one → attach; several → merge into the
/// oldest. docs/identity.md walks through the algorithm. Not thread-safe (reuses buffers): one per worker.
/// </summary>
internal sealed class IdentityResolver(IdentityRuleSet rules)
{
    private readonly List<Candidate> _candidates = new(16);
    private readonly List<ProfileIdentity> _targets = new(4);
    private readonly List<Identifier> _targetFoundBy = new(4);
    private readonly List<Candidate> _added = new(8);
    private readonly List<LeftOutIdentifier> _leftOut = new(4);

    /// <summary>Resolves one event against <paramref name="snapshot"/>; <paramref name="newProfileId"/> is called only to create a profile.</summary>
    public IdentityDecision Resolve(IdentitySnapshot snapshot, EventIdentifiers ev, Func<string> newProfileId)
    {
        _candidates.Clear();
        _targets.Clear();
        _targetFoundBy.Clear();
        _added.Clear();
        _leftOut.Clear();
        foreach (var invalid in ev.Invalid)
        {
            _leftOut.Add(invalid);
        }

        foreach (var identifier in ev.Identifiers)
        {
            Consider(identifier);
        }

        if (ev.PreviousId is { } previous && !CarriesId(ev, previous))
        {
            // Segment's previousId is a former anonymousId or a former userId: it is the user id a profile knows it as.
            var asUser = new Identifier(IdentifierTypes.UserId, previous);
            Consider(snapshot.OwnerOf(asUser) is not null ? asUser : new Identifier(IdentifierTypes.AnonymousId, previous));
        }

        Identifier? account = null;
        if (ev.Account is { } group)
        {
            if (rules.For(group.Type).IsBlocked(group.Value, out var blockedBy))
            {
                _leftOut.Add(LeftOutIdentifier.Blocked(group, blockedBy));
            }
            else
            {
                account = group;
            }
        }

        SortByPriority(CollectionsMarshal.AsSpan(_candidates));
        foreach (var candidate in _candidates)
        {
            Place(snapshot, candidate, ev.Timestamp);
        }

        return Decide(ev, account, newProfileId);
    }

    // An alias whose previousId is its own userId or anonymousId links nothing new.
    private static bool CarriesId(EventIdentifiers ev, string value)
    {
        foreach (var identifier in ev.Identifiers)
        {
            if (identifier.Value == value && identifier.Type is IdentifierTypes.UserId or IdentifierTypes.AnonymousId)
            {
                return true;
            }
        }

        return false;
    }

    private void Consider(Identifier identifier)
    {
        foreach (var candidate in _candidates)
        {
            if (candidate.Identifier == identifier)
            {
                return;
            }
        }

        var rule = rules.For(identifier.Type);
        if (rules.IsCut(identifier))
        {
            _leftOut.Add(LeftOutIdentifier.Blocked(identifier, "cut by an unmerge"));
            return;
        }

        if (rule.IsBlocked(identifier.Value, out var blockedBy))
        {
            _leftOut.Add(LeftOutIdentifier.Blocked(identifier, blockedBy));
            return;
        }

        _candidates.Add(new Candidate(identifier, rule));
    }

    private void Place(IdentitySnapshot snapshot, Candidate candidate, DateTimeOffset time)
    {
        var owner = snapshot.OwnerOf(candidate.Identifier);
        if (owner is null)
        {
            var rule = candidate.Rule;
            if (rule.Limit is { } limit)
            {
                var count = 1 + CountInTargets(rule, time) + CountAdded(rule);
                if (count > limit)
                {
                    _leftOut.Add(LeftOutIdentifier.OverLimit(candidate.Identifier, rule, count));
                    return;
                }
            }

            _added.Add(candidate);
            return;
        }

        foreach (var target in _targets)
        {
            if (target.Id == owner)
            {
                return; // already pulled in by a more important identifier
            }
        }

        var profile = snapshot.Find(owner) ?? throw new InvalidOperationException($"The snapshot maps {candidate.Identifier} to profile {owner}, which it does not hold.");
        if (_targets.Count > 0 || _added.Count > 0)
        {
            foreach (var rule in rules.Limited)
            {
                var held = Count(profile, rule, time);
                if (held == 0)
                {
                    continue;
                }

                var count = held + CountInTargets(rule, time) + CountAdded(rule);
                if (count > rule.Limit)
                {
                    _leftOut.Add(LeftOutIdentifier.RefusedMerge(candidate.Identifier, owner, rule, count));
                    return;
                }
            }
        }

        // The first profile is taken as it is, even if it breaks a rule made stricter since: matching changes nothing.
        _targets.Add(profile);
        _targetFoundBy.Add(candidate.Identifier);
    }

    private IdentityDecision Decide(EventIdentifiers ev, Identifier? account, Func<string> newProfileId)
    {
        var leftOut = _leftOut.Count == 0 ? [] : _leftOut.ToArray();
        var added = AddedIdentifiers();
        if (_targets.Count == 0)
        {
            return added.Length == 0
                ? new IdentityDecision(IdentityDecisionKind.NoProfile, null, null, null, ev.MessageId, ev.Type, ev.Timestamp, [], [], leftOut, account)
                : new IdentityDecision(IdentityDecisionKind.Create, newProfileId(), ev.Timestamp, null, ev.MessageId, ev.Type, ev.Timestamp, added, [], leftOut, account);
        }

        var survivor = 0;
        for (var i = 1; i < _targets.Count; i++)
        {
            if (_targets[i].IsOlderThan(_targets[survivor]))
            {
                survivor = i;
            }
        }

        var kind = _targets.Count > 1 ? IdentityDecisionKind.Merge : added.Length > 0 ? IdentityDecisionKind.Attach : IdentityDecisionKind.Match;
        var profile = _targets[survivor];
        return new IdentityDecision(
            kind, profile.Id, profile.CreatedAt, _targetFoundBy[survivor], ev.MessageId, ev.Type, ev.Timestamp, added, MergedInto(survivor), leftOut, account);
    }

    private Identifier[] AddedIdentifiers()
    {
        if (_added.Count == 0)
        {
            return [];
        }

        var added = new Identifier[_added.Count];
        for (var i = 0; i < added.Length; i++)
        {
            added[i] = _added[i].Identifier;
        }

        return added;
    }

    // The profiles merged away, oldest first.
    private ProfileLink[] MergedInto(int survivor)
    {
        if (_targets.Count < 2)
        {
            return [];
        }

        var merged = new ProfileLink[_targets.Count - 1];
        var n = 0;
        for (var i = 0; i < _targets.Count; i++)
        {
            if (i != survivor)
            {
                merged[n++] = new ProfileLink(_targets[i].Id, _targets[i].CreatedAt, _targetFoundBy[i]);
            }
        }

        Array.Sort(merged, static (a, b) => a.CreatedAt != b.CreatedAt ? a.CreatedAt.CompareTo(b.CreatedAt) : string.CompareOrdinal(a.ProfileId, b.ProfileId));
        return merged;
    }

    private int CountInTargets(TypeRules rule, DateTimeOffset time)
    {
        var count = 0;
        foreach (var target in _targets)
        {
            count += Count(target, rule, time);
        }

        return count;
    }

    private int CountAdded(TypeRules rule)
    {
        var count = 0;
        foreach (var added in _added)
        {
            if (ReferenceEquals(added.Rule, rule))
            {
                count++;
            }
        }

        return count;
    }

    // Values of the rule's type the profile holds that count at this time (all of them, or those added within the window).
    private static int Count(ProfileIdentity profile, TypeRules rule, DateTimeOffset time)
    {
        var count = 0;
        foreach (var held in profile.Identifiers)
        {
            if (held.Identifier.Type == rule.Type && rule.Counts(held.AddedAt, time))
            {
                count++;
            }
        }

        return count;
    }

    // Stable insertion sort: an event has a handful of identifiers; equal priorities keep the extractor's order.
    private static void SortByPriority(Span<Candidate> candidates)
    {
        for (var i = 1; i < candidates.Length; i++)
        {
            var current = candidates[i];
            var j = i - 1;
            while (j >= 0 && candidates[j].Rule.Priority > current.Rule.Priority)
            {
                candidates[j + 1] = candidates[j];
                j--;
            }

            candidates[j + 1] = current;
        }
    }

    private readonly record struct Candidate(Identifier Identifier, TypeRules Rule);
}
