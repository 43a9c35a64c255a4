using Samlet.Server.Hosting;
using Samlet.Sources;

namespace Samlet.Server.Admin;

/// <summary>
/// Requires an API key (<c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>) on every API but ingestion, and
/// makes the key's workspace available to the endpoint. Missing or unknown keys get 401 ProblemDetails.
/// </summary>
internal static class ApiKeyAuthentication
{
    private const string ItemKey = "samlet.apiKey";

    public static RouteGroupBuilder RequireApiKey(this RouteGroupBuilder group) =>
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var presented = Presented(http.Request);
            if (presented is null)
            {
                return Problems.Unauthorized("An API key is required: send it as \"Authorization: Bearer KEY\" or \"X-Api-Key: KEY\".");
            }

            var key = await http.RequestServices.GetRequiredService<KeyDirectory>().FindApiKeyAsync(presented, http.RequestAborted);
            if (key is null)
            {
                return Problems.Unauthorized("The API key is not valid.");
            }

            http.Items[ItemKey] = key;
            return await next(context);
        });

    /// <summary>The authenticated key of this request (set by the filter).</summary>
    public static ApiKey ApiKey(this HttpContext context) => (ApiKey)context.Items[ItemKey]!;

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.Length > 7)
        {
            return authorization[7..].Trim();
        }

        var header = request.Headers["X-Api-Key"].ToString();
        return header.Length > 0 ? header : null;
    }
}
