using Samlet.Server.Hosting;
using Samlet.Sources;
using Samlet.Storage;

namespace Samlet.Server.Admin;

/// <summary>The sources admin API: create, list, read, disable/enable a source, rotate its write key.</summary>
internal static class SourceEndpoints
{
    public static void MapSources(this RouteGroupBuilder api)
    {
        api.MapGet("/sources", async (HttpContext http, ICdpStore store) =>
            Results.Ok((await store.Sources.ListSourcesAsync(http.ApiKey().WorkspaceId, http.RequestAborted)).Select(View)));

        api.MapGet("/sources/{id}", async (HttpContext http, string id, ICdpStore store) =>
            await FindAsync(http, id, store) is { } source ? Results.Ok(View(source)) : NotFound(id));

        api.MapPost("/sources", async (HttpContext http, CreateSource? request, ICdpStore store, TimeProvider time) =>
        {
            var name = request?.Name?.Trim();
            if (string.IsNullOrEmpty(name) || name.Length > 200)
            {
                return Problems.BadRequest("A source needs a \"name\" of 1 to 200 characters.");
            }

            var writeKey = Secrets.NewKey("wk_");
            var source = new Source(Secrets.NewId("src_"), http.ApiKey().WorkspaceId, name, Secrets.Hash(writeKey), true, time.GetUtcNow());
            await store.Sources.CreateSourceAsync(source, http.RequestAborted);
            return Results.Created($"/api/sources/{source.Id}", new { source = View(source), writeKey });
        });

        api.MapPost("/sources/{id}/disable", (HttpContext http, string id, ICdpStore store, KeyDirectory keys) =>
            UpdateAsync(http, id, store, keys, s => s with { Enabled = false }));

        api.MapPost("/sources/{id}/enable", (HttpContext http, string id, ICdpStore store, KeyDirectory keys) =>
            UpdateAsync(http, id, store, keys, s => s with { Enabled = true }));

        api.MapPost("/sources/{id}/rotate-key", async (HttpContext http, string id, ICdpStore store, KeyDirectory keys) =>
        {
            var writeKey = Secrets.NewKey("wk_");
            var result = await UpdateAsync(http, id, store, keys, s => s with { WriteKeyHash = Secrets.Hash(writeKey) });
            return result is IStatusCodeHttpResult { StatusCode: 200 } ? Results.Ok(new { source = id, writeKey }) : result;
        });
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, string id, ICdpStore store, KeyDirectory keys, Func<Source, Source> change)
    {
        if (await FindAsync(http, id, store) is not { } source)
        {
            return NotFound(id);
        }

        var updated = change(source);
        await store.Sources.UpdateSourceAsync(updated, http.RequestAborted);
        keys.Invalidate();
        return Results.Ok(View(updated));
    }

    // A source of another workspace is reported as missing, not as forbidden.
    private static async Task<Source?> FindAsync(HttpContext http, string id, ICdpStore store) =>
        await store.Sources.GetSourceAsync(id, http.RequestAborted) is { } source && source.WorkspaceId == http.ApiKey().WorkspaceId ? source : null;

    private static IResult NotFound(string id) => Problems.NotFound($"There is no source \"{id}\" in this workspace.");

    private static object View(Source source) => new { id = source.Id, name = source.Name, enabled = source.Enabled, createdAt = source.CreatedAt };

    internal sealed record CreateSource(string? Name);
}
