using System.Security.Cryptography;
using Samlet.Sources;
using Samlet.Storage;

namespace Samlet.Audiences;

/// <summary>
/// The internal source of a workspace's <c>Audience Entered</c>/<c>Exited</c> events: a fixed id per workspace, created
/// disabled (nothing can send with it) the first time an audience event is appended.
/// </summary>
public static class AudienceSource
{
    private const string Prefix = "src_audiences_";

    public static string IdOf(string workspaceId) => Prefix + workspaceId;

    public static string WorkspaceOf(string sourceId) => sourceId[Prefix.Length..];

    public static async Task EnsureAsync(ISourceStore sources, string workspaceId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = IdOf(workspaceId);
        if (await sources.GetSourceAsync(id, cancellationToken) is not null)
        {
            return;
        }

        try
        {
            // No one knows a write key whose hash is of 32 random bytes.
            var unusable = Secrets.Hash(Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
            await sources.CreateSourceAsync(new Source(id, workspaceId, "Samlet audiences", unusable, Enabled: false, now), cancellationToken);
        }
        catch (Exception)
        {
            // Another instance may have created it first; anything else is an error.
            if (await sources.GetSourceAsync(id, cancellationToken) is null)
            {
                throw;
            }
        }
    }
}
