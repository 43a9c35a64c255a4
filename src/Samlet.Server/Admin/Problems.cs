using Samlet.Audiences;

namespace Samlet.Server.Admin;

/// <summary>RFC 9457 ProblemDetails answers of the admin and read APIs.</summary>
internal static class Problems
{
    public static IResult Unauthorized(string detail) => Results.Problem(detail, statusCode: 401, title: "Unauthorized");

    public static IResult NotFound(string detail) => Results.Problem(detail, statusCode: 404, title: "Not found");

    public static IResult BadRequest(string detail) => Results.Problem(detail, statusCode: 400, title: "Bad request");

    public static IResult Conflict(string detail) => Results.Problem(detail, statusCode: 409, title: "Conflict");

    public static IResult TooLarge(string what, int maxBytes) =>
        Results.Problem($"The {what} is larger than {maxBytes / 1024} KB.", statusCode: 413, title: "Payload too large");

    /// <summary>A 400 listing every problem of a JSON document as <c>errors: [{path, message}]</c> (JSON pointers).</summary>
    public static IResult Refused(string title, string detail, IEnumerable<DefinitionProblem> problems) =>
        Results.Problem(detail, statusCode: 400, title: title,
            extensions: new Dictionary<string, object?> { ["errors"] = problems.Select(p => new { path = p.Path, message = p.Message }).ToList() });
}
