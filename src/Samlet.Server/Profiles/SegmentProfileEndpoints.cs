using Samlet.Identity;
using Samlet.Profiles;
using Samlet.Server.Admin;

namespace Samlet.Server.Profiles;

/// <summary>
/// Segment's Profile API (<c>/v1/spaces/{space}/collections/{users|accounts}/profiles/{type}:{value}/…</c>), so that code
/// written for it works by changing the base URL. The space is the API key's workspace id; the key may be sent as
/// Segment's clients send their access token (Basic auth, key as user name). Users are found by any identifier type or
/// by Samlet's profile id (<c>profile_id:prf_…</c>, or bare <c>prf_…</c>); accounts by <c>group_id</c>.
/// </summary>
internal static class SegmentProfileEndpoints
{
    public static void MapSegmentProfiles(this IEndpointRouteBuilder app)
    {
        var collections = app.MapGroup("/v1/spaces/{space}/collections").RequireApiKey();
        collections.MapGet("/users/profiles/{id}/traits", UserTraitsAsync);
        collections.MapGet("/users/profiles/{id}/external_ids", UserExternalIdsAsync);
        collections.MapGet("/users/profiles/{id}/events", UserEventsAsync);
        collections.MapGet("/users/profiles/{id}/links", UserLinksAsync);
        collections.MapGet("/users/profiles/{id}/metadata", UserMetadataAsync);
        collections.MapGet("/accounts/profiles/{id}/traits", AccountTraitsAsync);
        collections.MapGet("/accounts/profiles/{id}/external_ids", AccountExternalIdsAsync);
        collections.MapGet("/accounts/profiles/{id}/links", AccountLinksAsync);
        collections.MapGet("/accounts/profiles/{id}/metadata", AccountMetadataAsync);
        collections.MapGet("/accounts/profiles/{id}/events", (HttpContext http, string space) => SpaceProblem(http, space) ??
            SegmentProblems.NotFound("Samlet keeps no event timeline for accounts; read the events of the account's users (see /links)."));
        collections.MapGet("/{collection}/profiles/{id}/{resource}", (HttpContext http, string space, string collection, string resource) => SpaceProblem(http, space) ??
            SegmentProblems.NotFound(collection is SegmentJson.Users or SegmentJson.Accounts
                ? $"There is no \"{resource}\" of a profile: ask for traits, external_ids, events, links or metadata."
                : $"There is no collection \"{collection}\": Samlet has users and accounts."));
    }

    private static async Task<IResult> UserTraitsAsync(HttpContext http, string space, string id, ProfileReader reader)
    {
        var (profile, query, error) = await UserAsync(http, space, id, reader, 10, 200);
        if (error is not null)
        {
            return error;
        }

        var (page, next) = TraitPage(ClassTraits(profile!, query!.Class), query);
        return ProfileJsonWriter.Answer(writer => SegmentJson.WriteTraits(writer, page, query.Verbose, http.Request, next, query.Limit));
    }

    /// <summary>
    /// The traits of a class as Segment shows them: custom traits, computed traits (their current value), audiences (the
    /// audience key set to true); all three without a class. Computed ones carry Samlet as their source.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, TraitValue>> ClassTraits(ProfileState profile, string? cls)
    {
        var traits = cls is null ? profile.Traits.Values : [];
        var computed = cls is null or "computed_trait"
            ? profile.Computed.Where(p => p.Key[0] != '~').Select(p => KeyValuePair.Create(p.Key, new TraitValue(p.Value.Json ?? "null", p.Value.ComputedAt, "samlet", "")))
            : [];
        var audiences = cls is null or "audience"
            ? profile.Audiences.Select(p => KeyValuePair.Create(p.Key, new TraitValue("true", p.Value, "samlet", "")))
            : [];
        return traits.Concat(computed).Concat(audiences).DistinctBy(p => p.Key, StringComparer.Ordinal);
    }

    private static async Task<IResult> UserExternalIdsAsync(HttpContext http, string space, string id, ProfileReader reader)
    {
        var (profile, query, error) = await UserAsync(http, space, id, reader, 25, 100);
        if (error is not null)
        {
            return error;
        }

        if (!TryOffset(query!.Next, out var offset))
        {
            return SegmentProblems.Invalid("The parameter `next` must be a cursor returned by an earlier page.");
        }

        var ct = http.RequestAborted;
        var held = (await reader.Store.Profiles.GetIdentifiersAsync(profile!.Id, ct))
            .Where(h => query.Include is null || query.Include.Contains(h.Identifier.Type)).ToList();
        var page = held.Skip(offset).Take(query.Limit).ToList();
        var origins = await IdentifierOrigins.FindAsync(reader, page, await reader.Store.Profiles.GetHistoryAsync(profile.Id, ct), ct);
        var next = offset + page.Count < held.Count ? (offset + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return ProfileJsonWriter.Answer(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("data");
            foreach (var h in page)
            {
                SegmentJson.WriteExternalId(writer, h.Identifier, SegmentJson.Users, h.AddedAt, origins.GetValueOrDefault(h.Identifier));
            }

            writer.WriteEndArray();
            SegmentJson.WriteCursor(writer, http.Request, next, query.Limit);
            writer.WriteEndObject();
        });
    }

    private static async Task<IResult> UserEventsAsync(HttpContext http, string space, string id, ProfileReader reader)
    {
        var (profile, query, error) = await UserAsync(http, space, id, reader, 10, 100);
        if (error is not null)
        {
            return error;
        }

        if (!TimelineScan.TryCursor(query!.Next, out var cursor))
        {
            return SegmentProblems.Invalid("The parameter `next` must be a cursor returned by an earlier page.");
        }

        var (events, next) = await TimelineScan.PageAsync(reader.Store.Profiles, profile!.Id, query, cursor, http.RequestAborted);
        return ProfileJsonWriter.Answer(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("data");
            foreach (var e in events)
            {
                SegmentJson.WriteEvent(writer, e, profile.Id);
            }

            writer.WriteEndArray();
            SegmentJson.WriteCursor(writer, http.Request, next, query.Limit);
            writer.WriteEndObject();
        });
    }

    private static async Task<IResult> UserLinksAsync(HttpContext http, string space, string id, ProfileReader reader)
    {
        var (profile, query, error) = await UserAsync(http, space, id, reader, 20, 100);
        if (error is not null)
        {
            return error;
        }

        var accounts = (await reader.Store.Profiles.GetAccountsOfAsync(profile!.Id, http.RequestAborted)).Take(query!.Limit).ToList();
        return ProfileJsonWriter.Answer(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("data");
            foreach (var member in accounts)
            {
                writer.WriteStartObject();
                writer.WriteString("to_collection", SegmentJson.Accounts);
                writer.WriteStartArray("external_ids");
                SegmentJson.WriteExternalId(writer, new Identifier(IdentifierTypes.GroupId, member.GroupId), SegmentJson.Accounts, member.LinkedAt, null);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static async Task<IResult> UserMetadataAsync(HttpContext http, string space, string id, ProfileReader reader)
    {
        var (profile, _, error) = await UserAsync(http, space, id, reader, 1, 1000);
        if (error is not null)
        {
            return error;
        }

        // The first event of the profile in log order is the oldest one its identity history records.
        var history = await reader.Store.Profiles.GetHistoryAsync(profile!.Id, http.RequestAborted);
        IdentifierOrigin? first = null;
        if (history.Where(r => r.MessageId.Length > 0).MinBy(r => r.Sequence) is { } oldest)
        {
            first = new IdentifierOrigin(oldest.MessageId, (await reader.EventAtAsync(oldest.Sequence, http.RequestAborted))?.SourceId);
        }

        return ProfileJsonWriter.Answer(writer =>
            SegmentJson.WriteMetadata(writer, profile.CreatedAt, profile.UpdatedAt, first, profile.LastMessageId, profile.LastSourceId));
    }

    private static async Task<IResult> AccountTraitsAsync(HttpContext http, string space, string id, ProfileReader reader)
    {
        var (account, query, error) = await AccountAsync(http, space, id, reader, 10, 200);
        if (error is not null)
        {
            return error;
        }

        var (page, next) = TraitPage(query!.Class is null ? account!.Traits.Values : [], query);
        return ProfileJsonWriter.Answer(writer => SegmentJson.WriteTraits(writer, page, query!.Verbose, http.Request, next, query.Limit));
    }

    private static async Task<IResult> AccountExternalIdsAsync(HttpContext http, string space, string id, ProfileReader reader)
    {
        var (account, query, error) = await AccountAsync(http, space, id, reader, 25, 100);
        if (error is not null)
        {
            return error;
        }

        var shown = query!.Include is null || query.Include.Contains(IdentifierTypes.GroupId);
        return ProfileJsonWriter.Answer(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("data");
            if (shown)
            {
                SegmentJson.WriteExternalId(writer, new Identifier(IdentifierTypes.GroupId, account!.GroupId), SegmentJson.Accounts, account.FirstSeen, null);
            }

            writer.WriteEndArray();
            SegmentJson.WriteCursor(writer, http.Request, null, query.Limit);
            writer.WriteEndObject();
        });
    }

    private static async Task<IResult> AccountLinksAsync(HttpContext http, string space, string id, ProfileReader reader)
    {
        var (account, query, error) = await AccountAsync(http, space, id, reader, 20, 100);
        if (error is not null)
        {
            return error;
        }

        var ct = http.RequestAborted;
        var users = new List<IReadOnlyList<HeldIdentifier>>();
        foreach (var member in await reader.Store.Profiles.GetMembersAsync(account!.WorkspaceId, account.GroupId, query!.Limit, ct))
        {
            users.Add(await reader.Store.Profiles.GetIdentifiersAsync(member.ProfileId, ct));
        }

        return ProfileJsonWriter.Answer(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("data");
            foreach (var identifiers in users)
            {
                writer.WriteStartObject();
                writer.WriteString("to_collection", SegmentJson.Users);
                writer.WriteStartArray("external_ids");
                foreach (var h in identifiers)
                {
                    SegmentJson.WriteExternalId(writer, h.Identifier, SegmentJson.Users, h.AddedAt, null);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static async Task<IResult> AccountMetadataAsync(HttpContext http, string space, string id, ProfileReader reader)
    {
        var (account, _, error) = await AccountAsync(http, space, id, reader, 1, 1000);
        return error ?? ProfileJsonWriter.Answer(writer => SegmentJson.WriteMetadata(writer, account!.FirstSeen, account.LastSeen, null, null, null));
    }

    private static async Task<(ProfileState? Profile, SegmentQuery? Query, IResult? Error)> UserAsync(
        HttpContext http, string space, string id, ProfileReader reader, int defaultLimit, int maxLimit)
    {
        if (SpaceProblem(http, space) is { } spaceProblem)
        {
            return (null, null, spaceProblem);
        }

        var lookup = await reader.FindAsync(space, ProfileReference.FromPath(id), http.RequestAborted);
        if (lookup.Profile is null)
        {
            return (null, null, lookup.Malformed ? SegmentProblems.Invalid(lookup.Problem) : SegmentProblems.NotFound("Profile was not found. " + lookup.Problem));
        }

        return SegmentQuery.TryRead(http.Request, defaultLimit, maxLimit, out var query, out var queryError)
            ? (lookup.Profile, query, null)
            : (null, null, SegmentProblems.Invalid(queryError));
    }

    private static async Task<(AccountState? Account, SegmentQuery? Query, IResult? Error)> AccountAsync(
        HttpContext http, string space, string id, ProfileReader reader, int defaultLimit, int maxLimit)
    {
        if (SpaceProblem(http, space) is { } spaceProblem)
        {
            return (null, null, spaceProblem);
        }

        var text = ProfileReference.FromPath(id);
        if (!Identifier.TryParse(text, out var identifier) || identifier.Type != IdentifierTypes.GroupId ||
            !IdentifierNormalizer.TryNormalizeId(identifier.Value, out var groupId))
        {
            return (null, null, SegmentProblems.Invalid($"\"{text}\" does not name an account: accounts are found by group_id:VALUE, e.g. group_id:acme."));
        }

        if (await reader.Store.Profiles.GetAccountAsync(space, groupId, http.RequestAborted) is not { } account)
        {
            return (null, null, SegmentProblems.NotFound($"Profile was not found. No account in this workspace has group_id {groupId}."));
        }

        return SegmentQuery.TryRead(http.Request, defaultLimit, maxLimit, out var query, out var queryError)
            ? (account, query, null)
            : (null, null, SegmentProblems.Invalid(queryError));
    }

    // A space is a workspace; another workspace's space is reported as missing, not as forbidden.
    private static IResult? SpaceProblem(HttpContext http, string space) =>
        space == http.ApiKey().WorkspaceId ? null : SegmentProblems.NotFound($"There is no space \"{space}\" for this API key (the space id is the workspace id).");

    /// <summary>Traits in key order (ordinal) from the <c>next</c> key on, those in <c>include</c> only; the next page's first key.</summary>
    private static (List<KeyValuePair<string, TraitValue>> Page, string? Next) TraitPage(IEnumerable<KeyValuePair<string, TraitValue>> traits, SegmentQuery query)
    {
        var keys = traits
            .Where(p => (query.Include is null || query.Include.Contains(p.Key)) && (query.Next is null || string.CompareOrdinal(p.Key, query.Next) >= 0))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Take(query.Limit + 1)
            .ToList();
        return keys.Count > query.Limit ? (keys.GetRange(0, query.Limit), keys[query.Limit].Key) : (keys, null);
    }

    private static bool TryOffset(string? next, out int offset)
    {
        offset = 0;
        return next is null || (int.TryParse(next, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out offset) && offset >= 0);
    }
}
