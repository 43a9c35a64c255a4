using Microsoft.Extensions.Options;
using Samlet.Events;
using Samlet.Ingestion;
using Samlet.Server.Hosting;

namespace Samlet.Server.Tracking;

/// <summary>
/// One Tracking API request: read the body (decompressed, capped), authenticate the write key, normalise each event,
/// append accepted and rejected events through the group committer, and answer 200 only once they are durable.
/// </summary>
internal sealed partial class TrackingHandler(
    KeyDirectory keys,
    GroupCommitter committer,
    ClientAddress clientAddress,
    IOptions<IngestionOptions> options,
    TimeProvider time,
    ILogger<TrackingHandler> logger)
{
    private readonly EventNormalizer _normalizer = new(new IngestionLimits { MaxEventBytes = options.Value.MaxEventBytes, MaxBodyBytes = options.Value.MaxBodyBytes });
    private readonly int _maxBodyBytes = options.Value.MaxBodyBytes;

    public async Task<IResult> HandleAsync(HttpContext context, bool isBatch, EventType? routeType, bool jitsu)
    {
        try
        {
            return await HandleStoredAsync(context, isBatch, routeType, jitsu);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The store failed (key lookup or append): 503 tells every SDK to retry; nothing was acknowledged.
            LogStoreFailed(logger, e);
            context.Response.Headers.RetryAfter = "5";
            return TrackingReply.Error(503, "The event log is unavailable; retry later.");
        }
    }

    private async Task<IResult> HandleStoredAsync(HttpContext context, bool isBatch, EventType? routeType, bool jitsu)
    {
        var cancellationToken = context.RequestAborted;
        var headerKey = WriteKeys.FromHeadersOrQuery(context.Request);
        Sources.Source? source = null;
        if (headerKey is not null && (source = await FindSourceAsync(headerKey, cancellationToken)) is null)
        {
            return TrackingReply.Error(401, "Invalid write key.");
        }

        using var body = await RequestBody.ReadAsync(context.Request, _maxBodyBytes, cancellationToken);
        if (body.Error is { } bodyError)
        {
            return TrackingReply.Error(body.Status, bodyError);
        }

        using var payload = TrackingPayload.Parse(body.Memory, isBatch, out var parseError);
        if (payload is null)
        {
            return TrackingReply.Error(400, parseError!);
        }

        if (source is null)
        {
            if (payload.BodyWriteKey is null)
            {
                return TrackingReply.Error(401, "No write key: send it as Basic auth, X-Write-Key, ?writeKey= or the body's writeKey.");
            }

            if ((source = await FindSourceAsync(payload.BodyWriteKey, cancellationToken)) is null)
            {
                return TrackingReply.Error(401, "Invalid write key.");
            }
        }

        if (!source.Enabled)
        {
            return TrackingReply.Error(404, "Source is disabled.");
        }

        var request = new IngestContext(source.Id, time.GetUtcNow(), clientAddress.Of(context));
        var accepted = new List<CollectedEvent>(payload.Items.Count);
        var rejected = new List<RejectedEvent>();
        var envelope = payload.Envelope;
        foreach (var item in payload.Items)
        {
            var result = _normalizer.Normalize(item, envelope, routeType, request);
            if (result.Accepted is { } ok)
            {
                accepted.Add(ok);
            }
            else
            {
                rejected.Add(result.Rejected!);
            }
        }

        await committer.AppendAsync(accepted, rejected);

        if (rejected.Count > 0)
        {
            LogRejected(logger, rejected.Count, source.Id);
        }

        return TrackingReply.Ok(jitsu);
    }

    private async Task<Sources.Source?> FindSourceAsync(string credential, CancellationToken cancellationToken)
    {
        foreach (var candidate in WriteKeys.Candidates(credential))
        {
            if (await keys.FindSourceAsync(candidate, cancellationToken) is { } source)
            {
                return source;
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The store failed during a Tracking API request; answered 503")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rejected {Count} events of source {SourceId}")]
    private static partial void LogRejected(ILogger logger, int count, string sourceId);
}
