using System.Globalization;
using Samlet.Events;
using Samlet.Server.Admin;
using Samlet.Storage;

namespace Samlet.Server.EventApi;

/// <summary>
/// Reading the event log for debugging and the console: filtered pages newest first, a live server-sent-events
/// stream, and the rejected-events log.
/// </summary>
internal static class EventEndpoints
{
    private const int MaxPage = 500;

    public static void MapEvents(this RouteGroupBuilder api)
    {
        api.MapGet("/events", async (HttpContext http, ICdpStore store) =>
        {
            var query = await ParseAsync(http, store);
            if (query.Error is { } error)
            {
                return error;
            }

            var events = await store.Events.QueryAsync(query.Value!, http.RequestAborted);
            var next = events.Count == query.Value!.Limit ? events[^1].Sequence.ToString(CultureInfo.InvariantCulture) : null;
            return Results.Stream(stream => EventJson.WritePageAsync(stream, events, next), "application/json");
        });

        api.MapGet("/events/rejected", async (HttpContext http, ICdpStore store) =>
        {
            var query = await ParseAsync(http, store);
            if (query.Error is { } error)
            {
                return error;
            }

            var q = query.Value!;
            var rejected = await store.Events.QueryRejectedAsync(new RejectedQuery(q.SourceIds, q.Before, q.Limit), http.RequestAborted);
            var next = rejected.Count == q.Limit ? rejected[^1].Id.ToString(CultureInfo.InvariantCulture) : null;
            return Results.Stream(stream => EventJson.WriteRejectedPageAsync(stream, rejected, next), "application/json");
        });

        api.MapGet("/events/stream", StreamAsync);
    }

    // Server-sent events: each new event matching the filters as one "data:" line, its log position as the SSE id.
    private static async Task StreamAsync(HttpContext http, ICdpStore store, EventLogSignal signal, TimeProvider time)
    {
        var query = await ParseAsync(http, store);
        if (query.Error is { } error)
        {
            await error.ExecuteAsync(http);
            return;
        }

        var filter = query.Value!;
        var cancellationToken = http.RequestAborted;
        long position;
        if (long.TryParse(http.Request.Headers["Last-Event-ID"], CultureInfo.InvariantCulture, out var lastId) ||
            long.TryParse(http.Request.Query["after"], CultureInfo.InvariantCulture, out lastId))
        {
            position = lastId;
        }
        else
        {
            // Start at the end of the log (not at the newest match, which may be far back).
            var newest = await store.Events.QueryAsync(new EventQuery(filter.SourceIds, Limit: 1), cancellationToken);
            position = newest.Count > 0 ? newest[0].Sequence : 0;
        }

        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        await http.Response.WriteAsync(": connected\n\n", cancellationToken);
        await http.Response.Body.FlushAsync(cancellationToken);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var batch = await store.Events.ReadAfterAsync(position, MaxPage, cancellationToken);
                foreach (var e in batch)
                {
                    position = e.Sequence;
                    if (Matches(filter, e))
                    {
                        await EventJson.WriteSseAsync(http.Response.Body, e, cancellationToken);
                    }
                }

                await http.Response.Body.FlushAsync(cancellationToken);
                if (batch.Count < MaxPage)
                {
                    await signal.WaitAsync(TimeSpan.FromSeconds(1), time, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
    }

    private static bool Matches(EventQuery q, StoredEvent e) =>
        q.SourceIds.Contains(e.SourceId) &&
        (q.Type is null || q.Type == e.Type) &&
        (q.EventName is null || q.EventName == e.EventName) &&
        (q.UserId is null || q.UserId == e.UserId) &&
        (q.AnonymousId is null || q.AnonymousId == e.AnonymousId) &&
        (q.From is null || e.Timestamp >= q.From) &&
        (q.To is null || e.Timestamp < q.To);

    private static async Task<(EventQuery? Value, IResult? Error)> ParseAsync(HttpContext http, ICdpStore store)
    {
        var q = http.Request.Query;
        var sources = await store.Sources.ListSourcesAsync(http.ApiKey().WorkspaceId, http.RequestAborted);
        var sourceIds = sources.Select(s => s.Id).ToList();
        if (q["source"].ToString() is { Length: > 0 } source)
        {
            if (!sourceIds.Contains(source))
            {
                return (null, Problems.NotFound($"There is no source \"{source}\" in this workspace."));
            }

            sourceIds = [source];
        }

        EventType? type = null;
        if (q["type"].ToString() is { Length: > 0 } typeText)
        {
            if (!EventTypes.TryParse(typeText, out var parsed) || typeText.Length == 1)
            {
                return (null, Problems.BadRequest($"Unknown type \"{typeText}\"; expected identify, track, page, screen, group or alias."));
            }

            type = parsed;
        }

        if (!TryTime(q["from"], "from", out var from, out var fromError) || !TryTime(q["to"], "to", out var to, out fromError))
        {
            return (null, fromError);
        }

        long? before = null;
        if (q["before"].ToString() is { Length: > 0 } beforeText)
        {
            if (!long.TryParse(beforeText, CultureInfo.InvariantCulture, out var b))
            {
                return (null, Problems.BadRequest("\"before\" must be a cursor returned as \"next\" by an earlier page."));
            }

            before = b;
        }

        var limit = 50;
        if (q["limit"].ToString() is { Length: > 0 } limitText && (!int.TryParse(limitText, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxPage))
        {
            return (null, Problems.BadRequest($"\"limit\" must be a number from 1 to {MaxPage}."));
        }

        return (new EventQuery(
            sourceIds,
            type,
            NullIfEmpty(q["event"]),
            NullIfEmpty(q["userId"]),
            NullIfEmpty(q["anonymousId"]),
            from,
            to,
            before,
            limit), null);
    }

    private static bool TryTime(string? text, string name, out DateTimeOffset? value, out IResult? error)
    {
        error = QueryTime.TryParse(text, out value) ? null : Problems.BadRequest($"\"{name}\" must be an ISO-8601 time, e.g. 2026-11-25T10:00:00Z.");
        return error is null;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
