using System.Text.Json;
using Samlet.Events;
using Samlet.Ingestion;

namespace Samlet.Server.Tracking;

/// <summary>The routes of Segment's HTTP Tracking API and the variants RudderStack and Jitsu SDKs call (see docs/ingestion.md).</summary>
internal static class TrackingEndpoints
{
    public const string CorsPolicy = "tracking";
    private static readonly string[] _types = ["identify", "track", "page", "screen", "group", "alias"];

    public static void MapTracking(this IEndpointRouteBuilder app, bool ceilingEndpoint)
    {
        var tracking = app.MapGroup("").RequireCors(CorsPolicy);
        foreach (var path in new[] { "/v1/batch", "/v1/import", "/v1/b", "/beacon/v1/batch" })
        {
            tracking.MapPost(path, (HttpContext c, TrackingHandler h) => h.HandleAsync(c, isBatch: true, routeType: null, jitsu: false));
        }

        foreach (var name in _types)
        {
            EventTypes.TryParse(name, out var type);
            tracking.MapPost($"/v1/{name}", (HttpContext c, TrackingHandler h) => h.HandleAsync(c, isBatch: false, type, jitsu: false));
            tracking.MapPost($"/v1/{name[0]}", (HttpContext c, TrackingHandler h) => h.HandleAsync(c, isBatch: false, type, jitsu: false));
        }

        // analytics-next telemetry: accepted and discarded.
        tracking.MapPost("/v1/m", () => TrackingReply.Ok(jitsu: false));
        tracking.MapPost("/api/s/{type}", (HttpContext c, string type, TrackingHandler h) => Jitsu(c, type, h));
        tracking.MapPost("/api/s/s2s/{type}", (HttpContext c, string type, TrackingHandler h) => Jitsu(c, type, h));

        // What analytics-next fetches when its cdnURL points here.
        tracking.MapGet("/v1/projects/{writeKey}/settings", (HttpRequest request, string writeKey) => Results.Json(new
        {
            integrations = new Dictionary<string, object>
            {
                ["Segment.io"] = new { apiKey = writeKey, apiHost = $"{request.Host}/v1", protocol = request.Scheme },
            },
            metrics = new { sampleRate = 0 },
        }));

        if (ceilingEndpoint)
        {
            tracking.MapPost("/_ceiling/v1/batch", (Delegate)CeilingAsync);
        }
    }

    private static Task<IResult> Jitsu(HttpContext context, string type, TrackingHandler handler) =>
        EventTypes.TryParse(type, out var parsed)
            ? handler.HandleAsync(context, isBatch: false, parsed, jitsu: true)
            : Task.FromResult(TrackingReply.Error(400, $"Unknown event type \"{EventNormalizer.Truncate(type)}\"."));

    // The load test's ceiling: the same body reading and JSON parsing as the real endpoint, no storage.
    private static async Task<IResult> CeilingAsync(HttpContext context)
    {
        using var body = await RequestBody.ReadAsync(context.Request, IngestionLimits.DefaultMaxBodyBytes, context.RequestAborted);
        if (body.Error is not null)
        {
            return TrackingReply.Error(body.Status, body.Error);
        }

        using var document = JsonDocument.Parse(body.Memory);
        return TrackingReply.Ok(jitsu: false);
    }
}
