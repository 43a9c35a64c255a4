using Microsoft.Extensions.Options;
using Samlet.Analytics.Runs;
using Samlet.Storage;

namespace Samlet.Server.Hosting;

/// <summary>
/// Runs the analytics job in the server: every <c>PollSeconds</c> it runs requested runs and the scheduled ones that
/// are due (<see cref="AnalyticsJob.RunDueAsync"/>). Of several instances only the holder of the <c>analytics</c> lease
/// runs jobs; it is a separate lease from the pipeline's, so a long run never holds up the pipeline.
/// </summary>
internal sealed partial class AnalyticsHost(AnalyticsJob job, ICdpStore store, TimeProvider time, IOptions<AnalyticsOptions> options, ILogger<AnalyticsHost> logger)
    : BackgroundService
{
    private readonly LeaseHolder _lease = new(store, "analytics", time, logger);

    public bool IsLeader => _lease.IsHeld;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(options.Value.PollSeconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (await _lease.HoldAsync(stoppingToken))
                    {
                        foreach (var run in await job.RunDueAsync(stoppingToken))
                        {
                            if (run.Status == AnalyticsRunStatus.Succeeded)
                            {
                                LogRun(logger, run.Id, run.WorkspaceId, run.ProfilesUpdated, (run.FinishedAt - run.StartedAt)?.TotalSeconds ?? 0);
                            }
                            else
                            {
                                LogRunFailed(logger, run.Id, run.WorkspaceId, run.Error);
                            }
                        }
                    }

                    await Task.Delay(_lease.IsHeld ? every : LeaseHolder.CheckEvery, time, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogFailed(logger, ex);
                    await Task.Delay(every, time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await _lease.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Analytics run {RunId} of workspace {WorkspaceId} succeeded in {Seconds:F1} s; {Profiles} profiles get new predictions")]
    private static partial void LogRun(ILogger logger, long runId, string workspaceId, int profiles, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Analytics run {RunId} of workspace {WorkspaceId} failed: {Error}")]
    private static partial void LogRunFailed(ILogger logger, long runId, string workspaceId, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for due analytics runs failed; trying again later")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
