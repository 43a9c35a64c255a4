using System.Globalization;
using Samlet.Pipeline;
using Samlet.Server.Admin;
using Samlet.Server.EventApi;

namespace Samlet.Server.Profiles;

/// <summary>
/// The native Profile API: search, one profile with everything known about it, its timeline, its identity history,
/// and unmerge. A profile is named by its id or by any identifier it holds (<c>GET /api/profiles/email:jane@example.com</c>);
/// a merged-away id answers with the surviving profile, saying so in <c>redirectedFrom</c> and <c>Content-Location</c>.
/// </summary>
internal static class ProfileEndpoints
{
    private const int MaxSearch = 100;
    private const int MaxPage = 500;

    public static void MapProfiles(this RouteGroupBuilder api)
    {
        api.MapGet("/profiles", SearchAsync);
        api.MapGet("/profiles/lookup/{identifier}", (HttpContext http, string identifier, ProfileReader reader) => GetAsync(http, identifier, reader));
        api.MapGet("/profiles/{id}", (HttpContext http, string id, ProfileReader reader) => GetAsync(http, id, reader));
        api.MapGet("/profiles/{id}/events", EventsAsync);
        api.MapGet("/profiles/{id}/merges", MergesAsync);
        api.MapPost("/profiles/{id}/unmerge", UnmergeAsync);
    }

    private static async Task<IResult> SearchAsync(HttpContext http, ProfileReader reader)
    {
        var query = http.Request.Query["query"].ToString();
        if (string.IsNullOrWhiteSpace(query))
        {
            return Problems.BadRequest("Say what to look for: ?query=jane (an identifier value or its beginning, a trait value, or an exact type:value).");
        }

        if (!TryLimit(http, 20, MaxSearch, out var limit, out var error))
        {
            return error;
        }

        var found = await reader.SearchAsync(http.ApiKey().WorkspaceId, query.Trim(), limit, http.RequestAborted);
        return ProfileJsonWriter.Answer(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("profiles");
            foreach (var summary in found)
            {
                ProfileJsonWriter.WriteSummary(writer, summary);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static async Task<IResult> GetAsync(HttpContext http, string id, ProfileReader reader)
    {
        var lookup = await FindAsync(http, id, reader);
        if (lookup.Profile is not { } profile)
        {
            return Problem(lookup);
        }

        var details = await reader.ReadAsync(profile, lookup.RedirectedFrom, ProfileReader.RecentEventCount, http.RequestAborted);
        return ProfileJsonWriter.Answer(writer => ProfileJsonWriter.WriteDetails(writer, details, $"/api/profiles/{profile.Id}/events"));
    }

    private static async Task<IResult> EventsAsync(HttpContext http, string id, ProfileReader reader)
    {
        var lookup = await FindAsync(http, id, reader);
        if (lookup.Profile is not { } profile)
        {
            return Problem(lookup);
        }

        long? before = null;
        if (http.Request.Query["before"].ToString() is { Length: > 0 } beforeText)
        {
            if (!long.TryParse(beforeText, CultureInfo.InvariantCulture, out var b))
            {
                return Problems.BadRequest("\"before\" must be a cursor returned as \"next\" by an earlier page.");
            }

            before = b;
        }

        if (!TryLimit(http, 50, MaxPage, out var limit, out var error))
        {
            return error;
        }

        var events = await reader.Store.Profiles.GetEventsAsync(profile.Id, before, limit, http.RequestAborted);
        var next = events.Count == limit ? events[^1].Sequence.ToString(CultureInfo.InvariantCulture) : null;
        return Results.Stream(stream => EventJson.WritePageAsync(stream, events, next), "application/json");
    }

    private static async Task<IResult> MergesAsync(HttpContext http, string id, ProfileReader reader)
    {
        var lookup = await FindAsync(http, id, reader);
        if (lookup.Profile is not { } profile)
        {
            return Problem(lookup);
        }

        var history = await reader.Store.Profiles.GetHistoryAsync(profile.Id, http.RequestAborted);
        return ProfileJsonWriter.Answer(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("profileId", profile.Id);
            writer.WriteString("redirectedFrom", lookup.RedirectedFrom);
            writer.WriteStartArray("history");
            foreach (var record in history)
            {
                ProfileJsonWriter.WriteHistory(writer, record);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static async Task<IResult> UnmergeAsync(HttpContext http, string id, UnmergeRequest? request, ProfileReader reader, PipelineWorker worker)
    {
        var workspaceId = http.ApiKey().WorkspaceId;
        var lookup = await FindAsync(http, id, reader);
        if (lookup.Profile is not { } profile)
        {
            return Problem(lookup);
        }

        var (identifier, error) = await reader.ParseIdentifierAsync(workspaceId, request?.Identifier, http.RequestAborted);
        if (identifier is not { } cut)
        {
            return Problems.BadRequest(request?.Identifier is null
                ? "Say which identifier to cut: {\"identifier\":\"email:jane@example.com\"}."
                : error!);
        }

        var outcome = await worker.UnmergeAsync(workspaceId, profile.Id, cut, http.RequestAborted);
        if (outcome is null)
        {
            return Problems.NotFound($"There is no profile \"{id}\" in this workspace.");
        }

        if (outcome.NotHeld)
        {
            return Problems.Conflict($"Profile {profile.Id} does not hold {cut}, so there is nothing to cut.");
        }

        var profiles = new List<ProfileSummary>();
        foreach (var result in outcome.Profiles)
        {
            if (await reader.SummaryAsync(workspaceId, result, http.RequestAborted) is { } summary)
            {
                profiles.Add(summary);
            }
        }

        return ProfileJsonWriter.Answer(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("profileId", outcome.ProfileId);
            writer.WriteString("identifier", cut.ToString());
            writer.WriteStartArray("profiles");
            foreach (var summary in profiles)
            {
                ProfileJsonWriter.WriteSummary(writer, summary);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static async Task<ProfileLookup> FindAsync(HttpContext http, string id, ProfileReader reader)
    {
        var lookup = await reader.FindAsync(http.ApiKey().WorkspaceId, ProfileReference.FromPath(id), http.RequestAborted);
        if (lookup is { Profile: { } profile, RedirectedFrom: not null })
        {
            http.Response.Headers.ContentLocation = $"/api/profiles/{profile.Id}";
        }

        return lookup;
    }

    private static IResult Problem(ProfileLookup lookup) =>
        lookup.Malformed ? Problems.BadRequest(lookup.Problem) : Problems.NotFound(lookup.Problem);

    private static bool TryLimit(HttpContext http, int fallback, int max, out int limit, out IResult error)
    {
        error = Results.Empty;
        limit = fallback;
        if (http.Request.Query["limit"].ToString() is { Length: > 0 } text &&
            (!int.TryParse(text, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > max))
        {
            error = Problems.BadRequest($"\"limit\" must be a number from 1 to {max}.");
            return false;
        }

        return true;
    }

    internal sealed record UnmergeRequest(string? Identifier);
}
