namespace Samlet.Storage;

/// <summary>
/// What the scheduled analytics job reads and records: its settings per workspace, its runs (with their reports), and
/// a scan of every profile's events. Predictions reach profiles as events, never through this part.
/// </summary>
public interface IAnalyticsStore
{
    /// <summary>The workspace's analytics settings as JSON, or null for the defaults.</summary>
    Task<string?> GetSettingsAsync(string workspaceId, CancellationToken cancellationToken);

    Task PutSettingsAsync(string workspaceId, string json, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Records a new run (its <see cref="AnalyticsRun.Id"/> is ignored) and returns its id, which grows with every run.</summary>
    Task<long> CreateRunAsync(AnalyticsRun run, CancellationToken cancellationToken);

    /// <summary>Replaces everything of a run but its id and workspace (false when there is no such run).</summary>
    Task<bool> UpdateRunAsync(AnalyticsRun run, CancellationToken cancellationToken);

    Task<AnalyticsRun?> GetRunAsync(string workspaceId, long id, CancellationToken cancellationToken);

    /// <summary>Runs newest first, before the id <paramref name="before"/> (exclusive) when given; reports are left out (null).</summary>
    Task<IReadOnlyList<AnalyticsRun>> ListRunsAsync(string workspaceId, long? before, int limit, CancellationToken cancellationToken);

    /// <summary>The newest run of the workspace, or the newest with <paramref name="status"/>, with its report.</summary>
    Task<AnalyticsRun?> GetLatestRunAsync(string workspaceId, AnalyticsRunStatus? status, CancellationToken cancellationToken);

    /// <summary>
    /// Every event of <see cref="ProfileEventScan.SourceIds"/> that belongs to a live profile, grouped by profile (all
    /// events of one profile in a row, in log order; the order of the profiles is the store's), with the payload only
    /// for the events the scan asks for.
    /// </summary>
    IAsyncEnumerable<ProfileEvent> ScanProfileEventsAsync(ProfileEventScan scan, CancellationToken cancellationToken);
}
