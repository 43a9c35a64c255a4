namespace Samlet.Server.Tracking;

/// <summary>The short JSON answers of the Tracking API. SDKs read only the status, except Jitsu, which needs JSON.</summary>
internal static class TrackingReply
{
    // Pre-encoded: the success answer is written for every request on the hot path.
    private static readonly byte[] _success = """{"success":true}"""u8.ToArray();
    private static readonly byte[] _ok = """{"ok":true}"""u8.ToArray();

    public static IResult Ok(bool jitsu) => Results.Bytes(jitsu ? _ok : _success, "application/json");

    public static IResult Error(int status, string reason) => Results.Json(new { success = false, error = reason }, statusCode: status);
}
