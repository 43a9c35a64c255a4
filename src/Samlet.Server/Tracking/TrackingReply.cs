namespace Samlet.Server.Tracking;

/// <summary>The short JSON answers of the Tracking API. SDKs read only the status, except Jitsu, which needs JSON.</summary>
internal static class TrackingReply
{
    public static IResult Ok(bool jitsu) => jitsu ? Results.Json(new { ok = true }) : Results.Json(new { success = true });

    public static IResult Error(int status, string reason) => Results.Json(new { success = false, error = reason }, statusCode: status);
}
