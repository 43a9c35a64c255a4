namespace Samlet.Server.Admin;

/// <summary>RFC 9457 ProblemDetails answers of the admin and read APIs.</summary>
internal static class Problems
{
    public static IResult Unauthorized(string detail) => Results.Problem(detail, statusCode: 401, title: "Unauthorized");

    public static IResult NotFound(string detail) => Results.Problem(detail, statusCode: 404, title: "Not found");

    public static IResult BadRequest(string detail) => Results.Problem(detail, statusCode: 400, title: "Bad request");

    public static IResult Conflict(string detail) => Results.Problem(detail, statusCode: 409, title: "Conflict");
}
