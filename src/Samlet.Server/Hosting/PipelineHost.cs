using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Samlet.Events;
using Samlet.Pipeline;
using Samlet.Storage;

namespace Samlet.Server.Hosting;

/// <summary>
/// Runs the pipeline worker in the server: batches while the log has unprocessed events, then waits for the next
/// append (or a second, for appends by other instances). After each catch-up it runs unfinished audience backfills (one
/// query per workspace when there is none), and every <c>RecheckSeconds</c> the re-check of rolling windows. A failing batch is retried after a back-off; nothing of it
/// was applied. Publishes the lag as the gauges <c>samlet.pipeline.lag.events</c> and <c>samlet.pipeline.lag.seconds</c>.
/// Of several instances on one store, each works on the pipeline partitions it holds leases for (<see cref="PartitionLeases"/>,
/// checked every two seconds beside the work, ADR 11); partitions of an instance that stops or dies pass to the others
/// (the checkpoint check keeps even an overlap from applying anything twice).
/// </summary>
internal sealed partial class PipelineHost : BackgroundService
{
    private readonly PipelineWorker _worker;
    private readonly PartitionLeases _leases;
    private readonly EventLogSignal _signal;
    private readonly TimeProvider _time;
    private readonly ILogger<PipelineHost> _logger;
    private readonly TimeSpan _recheckEvery;
    private PipelineLag _lag = new(0, 0, 0);

    public PipelineHost(PipelineWorker worker, ICdpStore store, EventLogSignal signal, TimeProvider time, IOptions<PipelineOptions> options, IMeterFactory meters, ILogger<PipelineHost> logger)
    {
        (_worker, _signal, _time, _logger) = (worker, signal, time, logger);
        _leases = new PartitionLeases(store, logger);
        _worker.Partitions = new HashSet<int>(); // until this instance holds partition leases
        _recheckEvery = TimeSpan.FromSeconds(options.Value.RecheckSeconds);
        // From the host's meter factory, so that each server's instruments are its own (tests run several in one process).
        var meter = meters.Create("Samlet.Pipeline");
        meter.CreateObservableGauge("samlet.pipeline.lag.events", () => Volatile.Read(ref _lag).EventsBehind, "{event}", "Log positions the pipeline has not applied yet");
        meter.CreateObservableGauge("samlet.pipeline.lag.seconds", () => Volatile.Read(ref _lag).SecondsBehind, "s", "Age of the oldest event the pipeline has not applied");
        meter.CreateObservableCounter(
            "samlet.pipeline.time",
            () => Enum.GetValues<PipelinePhase>().Select(p => new Measurement<double>(worker.Times[p].TotalSeconds, new KeyValuePair<string, object?>("phase", p.ToString().ToLowerInvariant()))),
            "s",
            "Time the pipeline worker spent, by phase (read and parse run beside the others)");
    }

    /// <summary>The pipeline partitions this instance works on.</summary>
    public IReadOnlySet<int> Partitions => _leases.Held;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var leasing = Task.Run(() => LeaseAsync(stop.Token), CancellationToken.None);
        try
        {
            await RunAsync(stoppingToken);
        }
        finally
        {
            await stop.CancelAsync();
            await leasing;
            _worker.Partitions = new HashSet<int>();
            await _leases.DisposeAsync();
        }
    }

    // Beside the work, so that a long catch-up does not keep partitions from moving to an instance that joined.
    private async Task LeaseAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var held = await _leases.ReconcileAsync(stoppingToken);
                if (!held.SetEquals(_worker.Partitions))
                {
                    _worker.Partitions = held;
                    _signal.Pulse(); // a partition taken over may have events waiting
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogLeaseFailed(_logger, ex);
            }

            try
            {
                await Task.Delay(LeaseHolder.CheckEvery, _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        var lagMeasured = _time.GetTimestamp();
        var rechecked = _time.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_worker.Partitions.Count == 0)
                {
                    await _signal.WaitAsync(LeaseHolder.CheckEvery, _time, stoppingToken);
                    continue;
                }

                var read = await _worker.CatchUpAsync(null, stoppingToken);
                // A backfill appends Audience Entered/Exited events: the next round applies them without waiting.
                read += await _worker.BackfillAsync(null, stoppingToken);
                if (_time.GetElapsedTime(rechecked) >= _recheckEvery)
                {
                    read += await _worker.RecheckAsync(stoppingToken);
                    rechecked = _time.GetTimestamp();
                }

                failures = 0;
                if (_time.GetElapsedTime(lagMeasured) > TimeSpan.FromSeconds(1))
                {
                    Volatile.Write(ref _lag, await _worker.GetLagAsync(stoppingToken));
                    lagMeasured = _time.GetTimestamp();
                }

                if (read == 0)
                {
                    await _signal.WaitAsync(TimeSpan.FromSeconds(1), _time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (CheckpointConflictException)
            {
                LogConflict(_logger); // another worker or a rebuild moved the checkpoint: read it again
            }
            catch (Exception ex)
            {
                failures++;
                var backOff = TimeSpan.FromMilliseconds(Math.Min(30_000, 100 * Math.Pow(2, Math.Min(failures, 10))));
                LogFailed(_logger, ex, failures, backOff.TotalSeconds);
                try
                {
                    await Task.Delay(backOff, _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking the pipeline partition leases failed; trying again")]
    private static partial void LogLeaseFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The pipeline checkpoint moved under this worker; reading it again")]
    private static partial void LogConflict(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "A pipeline batch failed ({Failures} in a row); nothing of it was applied; retrying in {Seconds} s")]
    private static partial void LogFailed(ILogger logger, Exception exception, int failures, double seconds);
}
