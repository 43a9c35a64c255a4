namespace Samlet.Storage;

/// <summary>
/// One run of a workspace's analytics job: who asked (<see cref="Trigger"/>: schedule, api, cli, demo), when it ran,
/// the time its data was taken as of, how far the pipeline had got (<see cref="Position"/>), its report (JSON) or error,
/// and how many profiles it gave new predictions.
/// </summary>
public sealed record AnalyticsRun(
    long Id,
    string WorkspaceId,
    AnalyticsRunStatus Status,
    string Trigger,
    DateTimeOffset RequestedAt,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? FinishedAt = null,
    DateTimeOffset? AsOf = null,
    long? Position = null,
    string? Report = null,
    string? Error = null,
    int ProfilesUpdated = 0);

public enum AnalyticsRunStatus
{
    Requested,
    Running,
    Succeeded,
    Failed,
}

/// <summary>The lower-case names stores and the API use for <see cref="AnalyticsRunStatus"/>.</summary>
public static class AnalyticsRunStatuses
{
    public static string ToWire(this AnalyticsRunStatus status) => status switch
    {
        AnalyticsRunStatus.Requested => "requested",
        AnalyticsRunStatus.Running => "running",
        AnalyticsRunStatus.Succeeded => "succeeded",
        AnalyticsRunStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static AnalyticsRunStatus Parse(string text) => text switch
    {
        "requested" => AnalyticsRunStatus.Requested,
        "running" => AnalyticsRunStatus.Running,
        "succeeded" => AnalyticsRunStatus.Succeeded,
        "failed" => AnalyticsRunStatus.Failed,
        _ => throw new InvalidDataException($"Unknown analytics run status '{text}'."),
    };
}
