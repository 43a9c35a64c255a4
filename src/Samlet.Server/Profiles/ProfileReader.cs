using System.Collections.Concurrent;
using System.Text.Json;
using Samlet.Events;
using Samlet.Identity;
using Samlet.Profiles;
using Samlet.Storage;

namespace Samlet.Server.Profiles;

/// <summary>
/// The read side of profiles shared by the Profile APIs and the <c>samlet profiles</c> commands: finds a profile by id
/// or identifier (normalised as the pipeline normalises, so the value a caller types finds what the events stored) and
/// assembles what is shown about it, composing <see cref="IProfileStore"/> reads. Never writes.
/// </summary>
internal sealed class ProfileReader(ICdpStore store)
{
    /// <summary>Events shown with a profile before "more".</summary>
    public const int RecentEventCount = 20;

    // One normaliser per default region: each keeps a cache of parsed phone numbers.
    private static readonly ConcurrentDictionary<string, IdentifierNormalizer> _normalizers = new(StringComparer.Ordinal);

    public ICdpStore Store => store;

    /// <summary>Finds the live profile <paramref name="text"/> names in the workspace (a merged-away id leads to its survivor).</summary>
    public async Task<ProfileLookup> FindAsync(string workspaceId, string? text, CancellationToken cancellationToken)
    {
        if (!ProfileReference.TryParse(text, out var reference, out var error))
        {
            return ProfileLookup.Bad(error);
        }

        if (reference.ProfileId is { } id)
        {
            return await store.Profiles.GetProfileAsync(workspaceId, id, cancellationToken) is { } profile
                ? ProfileLookup.Found(profile, profile.Id == id ? null : id)
                : ProfileLookup.NotFound($"There is no profile \"{id}\" in this workspace.");
        }

        var normalised = await NormaliseAsync(workspaceId, reference.Identifier, cancellationToken);
        if (normalised is not { } identifier)
        {
            return ProfileLookup.Bad(NotAValue(reference.Identifier));
        }

        return await store.Profiles.FindProfileIdAsync(workspaceId, identifier, cancellationToken) is { } owner &&
               await store.Profiles.GetProfileAsync(workspaceId, owner, cancellationToken) is { } found
            ? ProfileLookup.Found(found, null)
            : ProfileLookup.NotFound($"No profile in this workspace holds {identifier}.");
    }

    /// <summary>
    /// Parses and normalises an identifier as the pipeline would (<c>email:Jane@Example.com</c> → jane@example.com,
    /// phones to E.164 in the workspace's default region); else the reason it cannot be one.
    /// </summary>
    public async Task<(Identifier? Identifier, string? Error)> ParseIdentifierAsync(string workspaceId, string? text, CancellationToken cancellationToken)
    {
        if (!Identifier.TryParse(text, out var raw))
        {
            return (null, $"\"{text}\" is not an identifier: expected type:value, e.g. email:jane@example.com.");
        }

        return await NormaliseAsync(workspaceId, raw, cancellationToken) is { } identifier ? (identifier, null) : (null, NotAValue(raw));
    }

    /// <summary>Everything shown about a found profile: identities, accounts, the latest events, the identity history.</summary>
    public async Task<ProfileDetails> ReadAsync(ProfileState profile, string? redirectedFrom, int recentEvents, CancellationToken cancellationToken)
    {
        var identifiers = await store.Profiles.GetIdentifiersAsync(profile.Id, cancellationToken);
        var events = await store.Profiles.GetEventsAsync(profile.Id, null, recentEvents + 1, cancellationToken);
        var history = await store.Profiles.GetHistoryAsync(profile.Id, cancellationToken);
        var accounts = new List<AccountLink>();
        foreach (var member in await store.Profiles.GetAccountsOfAsync(profile.Id, cancellationToken))
        {
            accounts.Add(new AccountLink(member, await store.Profiles.GetAccountAsync(profile.WorkspaceId, member.GroupId, cancellationToken)));
        }

        var shown = events.Count > recentEvents ? events.Take(recentEvents).ToList() : events;
        long? more = events.Count > recentEvents ? shown[^1].Sequence : null;
        return new ProfileDetails(profile, redirectedFrom, identifiers, accounts, shown, more, history);
    }

    /// <summary>
    /// Profiles matching <paramref name="text"/>: the one holding it when it is an identifier (<c>type:value</c>) or
    /// named by it when it is a profile id, then the store's search by identifier value prefix and trait value.
    /// </summary>
    public async Task<IReadOnlyList<ProfileSummary>> SearchAsync(string workspaceId, string text, int limit, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        if (ProfileReference.TryParse(text, out _, out _) && await FindAsync(workspaceId, text, cancellationToken) is { Profile: { } exact })
        {
            ids.Add(exact.Id);
        }

        foreach (var id in await store.Profiles.SearchAsync(workspaceId, text, limit, cancellationToken))
        {
            if (ids.Count < limit && !ids.Contains(id, StringComparer.Ordinal))
            {
                ids.Add(id);
            }
        }

        var summaries = new List<ProfileSummary>(ids.Count);
        foreach (var id in ids)
        {
            if (await SummaryAsync(workspaceId, id, cancellationToken) is { } summary)
            {
                summaries.Add(summary);
            }
        }

        return summaries;
    }

    public async Task<ProfileSummary?> SummaryAsync(string workspaceId, string profileId, CancellationToken cancellationToken) =>
        await store.Profiles.GetProfileAsync(workspaceId, profileId, cancellationToken) is { } profile
            ? ProfileSummary.From(profile, await store.Profiles.GetIdentifiersAsync(profile.Id, cancellationToken))
            : null;

    /// <summary>The event at a log position (null if it is gone).</summary>
    public async Task<StoredEvent?> EventAtAsync(long sequence, CancellationToken cancellationToken)
    {
        var events = await store.Events.ReadAfterAsync(sequence - 1, 1, cancellationToken);
        return events.Count == 1 && events[0].Sequence == sequence ? events[0] : null;
    }

    private async Task<Identifier?> NormaliseAsync(string workspaceId, Identifier raw, CancellationToken cancellationToken)
    {
        // Only phone numbers depend on the workspace's rules (their default region); skip the read for the rest.
        var normalizer = raw.Type == IdentifierTypes.Phone
            ? _normalizers.GetOrAdd(await DefaultRegionAsync(workspaceId, cancellationToken), region => new IdentifierNormalizer(region))
            : IdentityRuleSet.Default.Normalizer;
        return normalizer.TryNormalize(raw, out var identifier) ? identifier : null;
    }

    private async Task<string> DefaultRegionAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var json = await store.Profiles.GetIdentityRulesAsync(workspaceId, cancellationToken);
        try
        {
            return json is null ? IdentityRuleSet.Default.Normalizer.DefaultRegion : IdentityRulesJson.Parse(json).DefaultRegion;
        }
        catch (JsonException)
        {
            return IdentityRuleSet.Default.Normalizer.DefaultRegion; // the pipeline refuses such rules too; read as the default
        }
    }

    private static string NotAValue(Identifier raw) =>
        $"\"{raw.Value}\" is not a valid {raw.Type} value, so no profile can hold {raw} " +
        "(values are normalised as events are: e-mails lower-cased and checked, phone numbers to E.164).";
}
