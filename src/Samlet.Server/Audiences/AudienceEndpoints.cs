using System.Globalization;
using System.Text;
using Samlet.Audiences;
using Samlet.Server.Admin;
using Samlet.Server.Profiles;
using Samlet.Storage;

namespace Samlet.Server.Audiences;

/// <summary>
/// Reading audiences: members page by page, a CSV export with traits, a preview of a definition that need not be
/// saved, the backfill's progress, and the audiences of one profile.
/// </summary>
internal static class AudienceEndpoints
{
    private const int MaxMembersPage = 1000;
    private const int MaxSample = 100;

    public static void MapAudienceReads(this RouteGroupBuilder api)
    {
        api.MapGet("/audiences/backfill", BackfillAsync);
        api.MapPost("/audiences/preview", PreviewAsync);
        api.MapGet("/audiences/{key}/members", MembersAsync);
        api.MapGet("/audiences/{key}/export", ExportAsync);
        api.MapGet("/profiles/{id}/audiences", ProfileAudiencesAsync);
    }

    private static async Task<IResult> MembersAsync(HttpContext http, string key, ICdpStore store)
    {
        var workspaceId = http.ApiKey().WorkspaceId;
        if (!TryNumber(http, "limit", 50, MaxMembersPage, out var limit, out var error))
        {
            return error;
        }

        if (await store.Audiences.GetDefinitionAsync(workspaceId, DefinitionKind.Audience, key, http.RequestAborted) is null)
        {
            return DefinitionEndpoints.NotFound(DefinitionKind.Audience, key);
        }

        var after = http.Request.Query["after"].ToString();
        var members = await store.Audiences.GetMembersAsync(workspaceId, key, after.Length > 0 ? after : null, limit, http.RequestAborted);
        var counts = await store.Audiences.CountMembersAsync(workspaceId, http.RequestAborted);
        return Results.Ok(new
        {
            count = counts.GetValueOrDefault(key),
            members = members.Select(m => new { profileId = m.ProfileId, enteredAt = m.EnteredAt }),
            next = members.Count == limit ? members[^1].ProfileId : null,
        });
    }

    private static async Task<IResult> ExportAsync(HttpContext http, string key, ICdpStore store)
    {
        var workspaceId = http.ApiKey().WorkspaceId;
        IReadOnlyList<string> columns;
        try
        {
            columns = AudienceCsv.ParseColumns(http.Request.Query["traits"].ToString());
        }
        catch (ArgumentException e)
        {
            return Problems.BadRequest(e.Message);
        }

        var catalog = await DefinitionCatalog.LoadAsync(store, workspaceId, http.RequestAborted);
        if (!catalog.Audiences.ContainsKey(key))
        {
            return DefinitionEndpoints.NotFound(DefinitionKind.Audience, key);
        }

        var computed = catalog.ComputedTraits.Keys.ToHashSet(StringComparer.Ordinal);
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{key}.csv\"";
        return Results.Stream(async stream =>
        {
            await using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            await AudienceCsv.WriteAsync(writer, store, workspaceId, key, columns, computed, http.RequestAborted);
        }, "text/csv; charset=utf-8");
    }

    private static async Task<IResult> PreviewAsync(HttpContext http, ICdpStore store, TimeProvider time, PreviewSnapshots snapshots)
    {
        var workspaceId = http.ApiKey().WorkspaceId;
        var cancellationToken = http.RequestAborted;
        if (!TryNumber(http, "sample", 10, MaxSample, out var sample, out var error))
        {
            return error;
        }

        if (await DefinitionInput.ReadAsync(http.Request.Body, cancellationToken) is not { } body)
        {
            return DefinitionEndpoints.TooLarge();
        }

        var (json, _) = DefinitionInput.WithKey(body, "preview", mustMatch: false);
        var catalog = await DefinitionCatalog.LoadAsync(store, workspaceId, cancellationToken);
        var parsed = catalog.CheckAudience(json);
        if (parsed.Definition is not { } candidate)
        {
            return DefinitionEndpoints.Invalid(DefinitionKind.Audience, parsed.Problems);
        }

        var started = time.GetTimestamp();
        var (result, asOf, source) = await snapshots.PreviewAsync(workspaceId, catalog.ToWorkspaceDefinitions(), candidate, sample, cancellationToken);
        return Results.Ok(new
        {
            count = result.Count,
            total = result.Total,
            sample = result.Sample,
            asOf,
            source,
            tookMs = Math.Round(time.GetElapsedTime(started).TotalMilliseconds, 1),
        });
    }

    private static async Task<IResult> BackfillAsync(HttpContext http, ICdpStore store)
    {
        var workspaceId = http.ApiKey().WorkspaceId;
        if (await store.Audiences.GetBackfillAsync(workspaceId, http.RequestAborted) is not { } backfill)
        {
            return Results.Ok(new { version = 0L, done = 0L, total = 0L, startedAt = (DateTimeOffset?)null, finishedAt = (DateTimeOffset?)null, status = "none" });
        }

        return Results.Ok(new
        {
            version = backfill.Version,
            done = backfill.Done,
            total = backfill.Total,
            startedAt = (DateTimeOffset?)backfill.StartedAt,
            finishedAt = backfill.FinishedAt,
            status = backfill.FinishedAt is null ? "running" : "finished",
        });
    }

    private static async Task<IResult> ProfileAudiencesAsync(HttpContext http, string id, ProfileReader reader)
    {
        var workspaceId = http.ApiKey().WorkspaceId;
        var lookup = await reader.FindAsync(workspaceId, ProfileReference.FromPath(id), http.RequestAborted);
        if (lookup.Profile is not { } profile)
        {
            return lookup.Malformed ? Problems.BadRequest(lookup.Problem) : Problems.NotFound(lookup.Problem);
        }

        if (lookup.RedirectedFrom is not null)
        {
            http.Response.Headers.ContentLocation = $"/api/profiles/{profile.Id}/audiences";
        }

        var memberships = await reader.Store.Audiences.GetMembershipsAsync(workspaceId, profile.Id, http.RequestAborted);
        var catalog = await DefinitionCatalog.LoadAsync(reader.Store, workspaceId, http.RequestAborted);
        return Results.Ok(memberships.OrderBy(m => m.AudienceKey, StringComparer.Ordinal).Select(m => new
        {
            audience = m.AudienceKey,
            name = catalog.Audiences.TryGetValue(m.AudienceKey, out var a) ? a.Definition.Name : m.AudienceKey,
            enteredAt = m.EnteredAt,
        }));
    }

    private static bool TryNumber(HttpContext http, string name, int fallback, int max, out int value, out IResult error)
    {
        error = Results.Empty;
        value = fallback;
        if (http.Request.Query[name].ToString() is { Length: > 0 } text &&
            (!int.TryParse(text, CultureInfo.InvariantCulture, out value) || value < 1 || value > max))
        {
            error = Problems.BadRequest($"\"{name}\" must be a number from 1 to {max}.");
            return false;
        }

        return true;
    }
}
