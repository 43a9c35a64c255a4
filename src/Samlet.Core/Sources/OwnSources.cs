using System.Security.Cryptography;
using Samlet.Storage;

namespace Samlet.Sources;

/// <summary>
/// Samlet's own sources, one of each per workspace with a fixed id: <c>src_audiences_{workspace}</c> (the audience
/// stage's <c>Audience Entered</c>/<c>Exited</c> events) and <c>src_analytics_{workspace}</c> (the analytics job's
/// predictions, as identify events). Each is created disabled, so nothing can send with it, before its first event is
/// appended. User sources are <c>src_</c> + 16 characters without <c>_</c> (<see cref="Secrets.NewId"/>), so the
/// prefixes cannot collide with them.
/// </summary>
public static class OwnSources
{
    private const string AudiencesPrefix = "src_audiences_";
    private const string AnalyticsPrefix = "src_analytics_";

    public static string AudiencesOf(string workspaceId) => AudiencesPrefix + workspaceId;

    public static string AnalyticsOf(string workspaceId) => AnalyticsPrefix + workspaceId;

    /// <summary>Whether events of the source are Samlet's own (never the person's activity).</summary>
    public static bool IsOwn(string sourceId) => IsAudiences(sourceId) || IsAnalytics(sourceId);

    public static bool IsAudiences(string sourceId) => sourceId.StartsWith(AudiencesPrefix, StringComparison.Ordinal);

    public static bool IsAnalytics(string sourceId) => sourceId.StartsWith(AnalyticsPrefix, StringComparison.Ordinal);

    /// <summary>The workspace of one of Samlet's own sources.</summary>
    public static string WorkspaceOf(string sourceId) =>
        IsAudiences(sourceId) ? sourceId[AudiencesPrefix.Length..]
        : IsAnalytics(sourceId) ? sourceId[AnalyticsPrefix.Length..]
        : throw new ArgumentException($"{sourceId} is not one of Samlet's own sources.", nameof(sourceId));

    /// <summary>Creates the (disabled) source unless it exists.</summary>
    public static async Task EnsureAsync(ISourceStore sources, string sourceId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var workspaceId = WorkspaceOf(sourceId);
        if (await sources.GetSourceAsync(sourceId, cancellationToken) is not null)
        {
            return;
        }

        try
        {
            // No one knows a write key whose hash is of 32 random bytes.
            var unusable = Secrets.Hash(Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
            var name = IsAnalytics(sourceId) ? "Samlet analytics" : "Samlet audiences";
            await sources.CreateSourceAsync(new Source(sourceId, workspaceId, name, unusable, Enabled: false, now), cancellationToken);
        }
        catch (Exception)
        {
            // Another instance may have created it first; anything else is an error.
            if (await sources.GetSourceAsync(sourceId, cancellationToken) is null)
            {
                throw;
            }
        }
    }
}
