namespace Samlet.Server.Profiles;

/// <summary>
/// Errors of the Segment-compatible Profile API: RFC 9457 ProblemDetails like every Samlet API, carrying Segment's
/// error body as the extension member <c>error</c> (<c>{"code":"not_found","message":…}</c>), so that clients written
/// for either read what they expect.
/// </summary>
internal static class SegmentProblems
{
    public static IResult NotFound(string message) => Problem(404, "Not found", "not_found", message);

    public static IResult Invalid(string message) => Problem(400, "Bad request", "validation_error", message);

    private static IResult Problem(int status, string title, string code, string message) =>
        Results.Problem(message, statusCode: status, title: title, extensions: new Dictionary<string, object?>
        {
            ["error"] = new Dictionary<string, string> { ["code"] = code, ["message"] = message },
        });
}
