using System.Text.Json;
using Samlet.Audiences;
using Samlet.Events;
using Samlet.Server.Admin;
using Samlet.Storage;

namespace Samlet.Server.Audiences;

/// <summary>
/// The definitions admin API (docs/audiences.md): computed traits under <c>/api/computed-traits</c>, audiences under
/// <c>/api/audiences</c>; list, read, create (POST), create or replace (PUT), delete. A definition is checked whole and
/// against the workspace's other definitions before anything is stored; every problem is answered at once, with its
/// JSON pointer. Each change restarts the workspace's backfill, which brings existing profiles up to date.
/// </summary>
internal static class DefinitionEndpoints
{
    /// <summary>Audience keys the API's own routes take (<c>GET /api/audiences/backfill</c>).</summary>
    private static readonly string[] _reservedAudienceKeys = ["backfill"];

    public static void MapDefinitions(this RouteGroupBuilder api)
    {
        Map(api, DefinitionKind.ComputedTrait, "/computed-traits");
        Map(api, DefinitionKind.Audience, "/audiences");
    }

    private static void Map(RouteGroupBuilder api, DefinitionKind kind, string path)
    {
        api.MapGet(path, (HttpContext http, ICdpStore store) => ListAsync(http, store, kind));
        api.MapGet(path + "/{key}", (HttpContext http, string key, ICdpStore store) => GetAsync(http, store, kind, key));
        api.MapPost(path, (HttpContext http, ICdpStore store, TimeProvider time, EventLogSignal signal) =>
            SaveAsync(http, store, time, signal, kind, path, routeKey: null));
        api.MapPut(path + "/{key}", (HttpContext http, string key, ICdpStore store, TimeProvider time, EventLogSignal signal) =>
            SaveAsync(http, store, time, signal, kind, path, key));
        api.MapDelete(path + "/{key}", (HttpContext http, string key, ICdpStore store, TimeProvider time, EventLogSignal signal) =>
            DeleteAsync(http, store, time, signal, kind, key));
    }

    private static async Task<IResult> ListAsync(HttpContext http, ICdpStore store, DefinitionKind kind)
    {
        var workspaceId = http.ApiKey().WorkspaceId;
        var catalog = await DefinitionCatalog.LoadAsync(store, workspaceId, http.RequestAborted);
        if (kind == DefinitionKind.ComputedTrait)
        {
            return Results.Ok(catalog.ComputedTraits.Values.Select(c => View(c.Stored, c.Definition.Name, null)));
        }

        var counts = await store.Audiences.CountMembersAsync(workspaceId, http.RequestAborted);
        return Results.Ok(catalog.Audiences.Values.Select(a => View(a.Stored, a.Definition.Name, counts)));
    }

    private static async Task<IResult> GetAsync(HttpContext http, ICdpStore store, DefinitionKind kind, string key)
    {
        var workspaceId = http.ApiKey().WorkspaceId;
        if (await store.Audiences.GetDefinitionAsync(workspaceId, kind, key, http.RequestAborted) is not { } stored)
        {
            return NotFound(kind, key);
        }

        var counts = kind == DefinitionKind.Audience ? await store.Audiences.CountMembersAsync(workspaceId, http.RequestAborted) : null;
        return Results.Ok(View(stored, NameOf(stored), counts));
    }

    private static async Task<IResult> SaveAsync(HttpContext http, ICdpStore store, TimeProvider time, EventLogSignal signal, DefinitionKind kind, string path, string? routeKey)
    {
        var workspaceId = http.ApiKey().WorkspaceId;
        var cancellationToken = http.RequestAborted;
        if (await DefinitionInput.ReadAsync(http.Request.Body, cancellationToken) is not { } body)
        {
            return TooLarge();
        }

        var (json, keyProblems) = DefinitionInput.WithKey(body, routeKey, mustMatch: true);
        if (keyProblems.Count > 0)
        {
            return Invalid(kind, keyProblems);
        }

        var catalog = await DefinitionCatalog.LoadAsync(store, workspaceId, cancellationToken);
        string key;
        string name;
        bool exists;
        if (kind == DefinitionKind.ComputedTrait)
        {
            var parsed = DefinitionParser.ParseComputedTrait(json);
            if (parsed.Definition is not { } trait)
            {
                return Invalid(kind, parsed.Problems);
            }

            (key, name, exists) = (trait.Key, trait.Name, catalog.ComputedTraits.ContainsKey(trait.Key));
        }
        else
        {
            var parsed = catalog.CheckAudience(json);
            if (parsed.Definition is not { } audience)
            {
                return Invalid(kind, parsed.Problems);
            }

            if (_reservedAudienceKeys.Contains(audience.Key))
            {
                return Invalid(kind, [new DefinitionProblem("/key", $"'{audience.Key}' is reserved (GET /api/audiences/{audience.Key} is another endpoint); choose another key")]);
            }

            (key, name, exists) = (audience.Key, audience.Name, catalog.Audiences.ContainsKey(audience.Key));
        }

        if (routeKey is null && exists)
        {
            return Problems.Conflict($"There is already a {Noun(kind)} \"{key}\": replace it with PUT {Location(path, key)}.");
        }

        var stored = await store.Audiences.PutDefinitionAsync(workspaceId, kind, key, json, time.GetUtcNow(), cancellationToken);
        signal.Pulse(); // wakes the pipeline host, which runs the restarted backfill
        var counts = kind == DefinitionKind.Audience ? await store.Audiences.CountMembersAsync(workspaceId, cancellationToken) : null;
        var view = View(stored, name, counts);
        return exists ? Results.Ok(view) : Results.Created(Location(path, key), view);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, ICdpStore store, TimeProvider time, EventLogSignal signal, DefinitionKind kind, string key)
    {
        var workspaceId = http.ApiKey().WorkspaceId;
        var catalog = await DefinitionCatalog.LoadAsync(store, workspaceId, http.RequestAborted);
        var exists = kind == DefinitionKind.ComputedTrait ? catalog.ComputedTraits.ContainsKey(key) : catalog.Audiences.ContainsKey(key);
        if (!exists)
        {
            return NotFound(kind, key);
        }

        var users = catalog.UsersOf(kind, key, except: key);
        if (users.Count > 0)
        {
            var list = string.Join(", ", users.Select(u => $"\"{u}\""));
            return Results.Problem(
                $"The {Noun(kind)} \"{key}\" is used by the {(users.Count == 1 ? "audience" : "audiences")} {list}: change or delete {(users.Count == 1 ? "it" : "them")} first.",
                statusCode: 409, title: "Conflict", extensions: new Dictionary<string, object?> { ["usedBy"] = users });
        }

        if (!await store.Audiences.DeleteDefinitionAsync(workspaceId, kind, key, time.GetUtcNow(), http.RequestAborted))
        {
            return NotFound(kind, key);
        }

        signal.Pulse();
        return Results.NoContent();
    }

    private static string NameOf(StoredDefinition stored) => stored.Kind == DefinitionKind.ComputedTrait
        ? DefinitionParser.ParseComputedTrait(stored.Json).Value.Name
        : DefinitionParser.ParseAudience(stored.Json).Value.Name;

    private static object View(StoredDefinition stored, string name, IReadOnlyDictionary<string, long>? counts)
    {
        using var document = JsonDocument.Parse(stored.Json);
        var definition = document.RootElement.Clone();
        return counts is null
            ? new { key = stored.Key, name, version = stored.Version, updatedAt = stored.UpdatedAt, definition }
            : new { key = stored.Key, name, version = stored.Version, updatedAt = stored.UpdatedAt, members = counts.GetValueOrDefault(stored.Key), definition };
    }

    private static string Location(string path, string key) => $"/api{path}/{key}";

    private static string Noun(DefinitionKind kind) => kind == DefinitionKind.ComputedTrait ? "computed trait" : "audience";

    public static IResult NotFound(DefinitionKind kind, string key) => Problems.NotFound($"There is no {Noun(kind)} \"{key}\" in this workspace.");

    public static IResult TooLarge() => Problems.TooLarge("definition", DefinitionInput.MaxBytes);

    public static IResult Invalid(DefinitionKind kind, IEnumerable<DefinitionProblem> problems) =>
        Problems.Refused("Invalid definition", $"The {Noun(kind)} was refused; nothing was changed.", problems);
}
