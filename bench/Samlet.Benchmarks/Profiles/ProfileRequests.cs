using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Samlet.Benchmarks.Load;

namespace Samlet.Benchmarks.Profiles;

/// <summary>
/// Pre-built GET requests of the Profile APIs: Segment's paths under <c>/v1/spaces/{space}/collections/users/profiles/</c>
/// and the native <c>/api/profiles/{id}</c>, with the API key as a Bearer token.
/// </summary>
internal static class ProfileRequests
{
    private static readonly string[] _segmentResources = ["traits", "metadata", "external_ids", "events", "links"];

    public static bool IsEndpoint(string name) => name == "profile" || _segmentResources.Contains(name);

    /// <summary>The path of <paramref name="endpoint"/> for one identifier (<c>type:value</c>, the value escaped).</summary>
    public static string PathOf(string endpoint, string space, string identifier)
    {
        var colon = identifier.IndexOf(':', StringComparison.Ordinal);
        var escaped = identifier[..(colon + 1)] + Uri.EscapeDataString(identifier[(colon + 1)..]);
        return endpoint == "profile"
            ? $"/api/profiles/{escaped}"
            : $"/v1/spaces/{Uri.EscapeDataString(space)}/collections/users/profiles/{escaped}/{endpoint}";
    }

    /// <summary>One whole HTTP/1.1 GET request, as a template the load run can send.</summary>
    public static PayloadRing.Template Get(string pathAndQuery, string host, string apiKey)
    {
        var bytes = Encoding.ASCII.GetBytes(
            $"GET {pathAndQuery} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {apiKey}\r\nUser-Agent: samlet-loadgen\r\n\r\n");
        return new PayloadRing.Template(bytes, bytes.Length, [], -1);
    }

    /// <summary>Reads identifiers (<c>type:value</c>, one a line; blank lines and lines without a colon are skipped).</summary>
    public static async Task<string[]> ReadIdentifiersAsync(string file) =>
        [.. (await File.ReadAllLinesAsync(file)).Select(l => l.Trim()).Where(l => l.IndexOf(':', StringComparison.Ordinal) > 0)];

    /// <summary>
    /// The workspace id (Segment's space) of the profile holding <paramref name="identifier"/>, from the native API's
    /// <c>workspaceId</c>; null when that profile is not (yet) there.
    /// </summary>
    public static async Task<string?> FindSpaceAsync(Uri server, string apiKey, string identifier, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await client.GetAsync(PathOf("profile", "", identifier), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        return json.RootElement.TryGetProperty("workspaceId", out var id) ? id.GetString() : null;
    }
}
