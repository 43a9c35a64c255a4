using Samlet.Server.Hosting;
using Samlet.Sources;

namespace Samlet.Server.Admin;

/// <summary>
/// Requires an API key (<c>Authorization: Bearer KEY</c>, <c>X-Api-Key: KEY</c>, or HTTP Basic with the key as the user
/// name and an empty password, as Segment's Profile API clients send it) on every API but ingestion, and makes the key's
/// workspace available to the endpoint. Missing or unknown keys get 401 ProblemDetails.
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
                return Problems.Unauthorized("An API key is required: send it as \"Authorization: Bearer KEY\", \"X-Api-Key: KEY\" or Basic auth with the key as the user name.");
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

        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) && BasicUser(authorization.AsSpan(6).Trim()) is { } user)
        {
            return user;
        }

        var header = request.Headers["X-Api-Key"].ToString();
        return header.Length > 0 ? header : null;
    }

    // "Basic base64(key:)": the user name is the key; the password is ignored (Segment's clients leave it empty).
    private static string? BasicUser(ReadOnlySpan<char> encoded)
    {
        if (encoded.Length > 1024)
        {
            return null;
        }

        var bytes = new byte[(encoded.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64Chars(encoded, bytes, out var length))
        {
            return null;
        }

        var text = System.Text.Encoding.UTF8.GetString(bytes, 0, length);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var user = (colon < 0 ? text : text[..colon]).Trim();
        return user.Length > 0 ? user : null;
    }
}
