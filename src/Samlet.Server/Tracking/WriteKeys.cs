using System.Text;

namespace Samlet.Server.Tracking;

/// <summary>
/// Finds the write key a request carries, in the order of the spec: Basic auth, <c>X-Write-Key</c>, <c>?writeKey=</c>
/// (the body's <c>writeKey</c> is read later, from the parsed body). A credential may be <c>id:secret</c> (Jitsu):
/// the whole value is tried first, then each side of the first colon.
/// </summary>
internal static class WriteKeys
{
    public static string? FromHeadersOrQuery(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
                var key = decoded.EndsWith(':') ? decoded[..^1] : decoded;
                if (key.Length > 0)
                {
                    return key;
                }
            }
            catch (FormatException)
            {
                // Not base64: treated as no key.
            }
        }

        var header = request.Headers["X-Write-Key"].ToString();
        if (header.Length > 0)
        {
            return header;
        }

        var query = request.Query["writeKey"].ToString();
        return query.Length > 0 ? query : request.Query["writekey"].ToString() is { Length: > 0 } lower ? lower : null;
    }

    public static IEnumerable<string> Candidates(string credential)
    {
        yield return credential;
        var colon = credential.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            yield return credential[..colon];
            yield return credential[(colon + 1)..];
        }
    }
}
