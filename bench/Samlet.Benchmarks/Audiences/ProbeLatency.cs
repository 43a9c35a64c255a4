using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Samlet.Benchmarks.Storage;
using Samlet.Events;
using Samlet.Identity;
using Samlet.Ingestion;
using Samlet.Pipeline;
using Samlet.Storage;

namespace Samlet.Benchmarks.Audiences;

/// <summary>
/// Event-to-membership latency under ingestion load: a live <see cref="PipelineWorker"/> loop (as the server's pipeline
/// host runs it) over the store, demo events appended in the background at a fixed rate, and every few milliseconds a
/// probe: an identify of a new user with <c>probe: true</c>, which the <c>probe</c> audience takes in. Latency runs from
/// the probe's append having completed to (1) the first membership read (<c>GetMembershipsAsync</c>, polled) that shows
/// it, and (2) the return of the <c>ApplyAsync</c> that committed it (seen in the store; the await may add scheduling delay).
/// </summary>
internal sealed class ProbeLatency(WatchedStore store, string workspaceId, string sourceId, AudienceBenchOptions options)
{
    private readonly EventLogSignal _signal = new();
    private readonly EventNormalizer _normalizer = new(new IngestionLimits());
    private readonly ConcurrentQueue<Probe> _sent = new();
    private readonly string _run = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    public async Task RunAsync()
    {
        var total = options.Warmup + options.Duration;
        var backgroundCount = (int)Math.Ceiling(options.Rate * (total.TotalSeconds + 5));
        var clock = Stopwatch.StartNew();
        var background = options.Rate > 0 ? AppendThroughput.DemoEvents(backgroundCount) : [];
        Console.WriteLine($"latency: {background.Count:N0} demo events prepared in {clock.Elapsed.TotalSeconds:N1} s");

        using var stop = new CancellationTokenSource();
        var worker = new PipelineWorker(store, TimeProvider.System);
        // What the log holds before the run (the Audience Entered/Exited events the recompute announced) is not the
        // ingestion load being measured: the worker catches up first, timed apart.
        var behind = (await worker.GetLagAsync(CancellationToken.None)).EventsBehind;
        clock.Restart();
        var caughtUp = await worker.CatchUpAsync(null, CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"latency: first the pipeline caught up on the {behind:N0} events already in the log (announced by the recompute): {caughtUp:N0} events in {clock.Elapsed.TotalSeconds:F1} s = {caughtUp / Math.Max(0.001, clock.Elapsed.TotalSeconds):N0} events/s"));
        var pipeline = Task.Run(() => PipelineLoopAsync(worker, stop.Token));
        var started = Stopwatch.GetTimestamp();
        var measuredFrom = started + (long)(options.Warmup.TotalSeconds * Stopwatch.Frequency);
        var end = measuredFrom + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
        var appender = Task.Run(() => BackgroundAsync(background, started, measuredFrom, end));
        var prober = Task.Run(() => ProbesAsync(started, end));
        var results = new List<(Probe Probe, long ReadAt)>();
        var poller = Task.Run(() => PollAsync(results, prober));

        var appended = await appender;
        var probes = await prober;
        await poller;
        var lag = await worker.GetLagAsync(CancellationToken.None);
        await stop.CancelAsync();
        await pipeline;

        var measured = results.Where(r => r.Probe.AppendedAt >= measuredFrom).ToList();
        var read = measured.Select(r => Milliseconds(r.ReadAt - r.Probe.AppendedAt)).Order().ToList();
        var committed = measured.Where(r => store.Entered.ContainsKey(r.Probe.ProfileId))
            .Select(r => Milliseconds(store.Entered[r.Probe.ProfileId] - r.Probe.AppendedAt)).Order().ToList();
        var never = probes.Count(p => p.AppendedAt >= measuredFrom) - measured.Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"latency: background {appended / options.Duration.TotalSeconds:N0} events/s achieved (target {options.Rate:N0}, {options.Batch} per append); " +
            $"{measured.Count} probes measured over {options.Duration.TotalSeconds:N0} s, {never} never a member within 30 s; pipeline {lag.EventsBehind:N0} events behind at the end"));
        Console.WriteLine(Line("latency append→membership read (polled every " + options.PollInterval.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + " ms)", read));
        Console.WriteLine(Line("latency append→the membership's ApplyAsync returned (commit; noted after the await)", committed));
    }

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static string Line(string what, List<double> sorted) => sorted.Count == 0
        ? $"{what}: no probe"
        : string.Create(CultureInfo.InvariantCulture,
            $"{what}: p50 {At(sorted, 0.50):F1} ms, p90 {At(sorted, 0.90):F1} ms, p99 {At(sorted, 0.99):F1} ms, max {sorted[^1]:F1} ms (n={sorted.Count})");

    private static double At(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    // As the server's pipeline host: batches while there is work, then wait for the next append (or a second).
    private async Task PipelineLoopAsync(PipelineWorker worker, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (await worker.CatchUpAsync(null, cancellationToken) == 0)
                {
                    await _signal.WaitAsync(TimeSpan.FromSeconds(1), TimeProvider.System, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (CheckpointConflictException)
            {
                // Read the checkpoint again.
            }
        }
    }

    // Open loop: append k is due at start + k·batch/rate; returns the events appended inside the measured window.
    private async Task<long> BackgroundAsync(List<CollectedEvent> events, long started, long measuredFrom, long end)
    {
        long inWindow = 0;
        var k = 0;
        for (var at = 0; at + options.Batch <= events.Count; at += options.Batch, k++)
        {
            var due = started + (long)(k * options.Batch / options.Rate * Stopwatch.Frequency);
            if (due >= end)
            {
                break;
            }

            var wait = due - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
            }

            await store.Events.AppendAsync(events.GetRange(at, options.Batch), [], CancellationToken.None);
            _signal.Pulse();
            if (due >= measuredFrom)
            {
                inWindow += options.Batch;
            }
        }

        return inWindow;
    }

    private async Task<List<Probe>> ProbesAsync(long started, long end)
    {
        var probes = new List<Probe>();
        for (var k = 0; ; k++)
        {
            var due = started + (long)(k * options.ProbeInterval.TotalSeconds * Stopwatch.Frequency);
            if (due >= end)
            {
                return probes;
            }

            var wait = due - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
            }

            var messageId = $"probe-{_run}-{k}";
            var e = Identify(messageId);
            await store.Events.AppendAsync([e], [], CancellationToken.None);
            var appendedAt = Stopwatch.GetTimestamp();
            // The profile's id begins with its creating event's log position: read it back (after the clock is read).
            var logged = await store.Events.QueryAsync(new EventQuery([sourceId], UserId: messageId, Limit: 1), CancellationToken.None);
            var probe = new Probe(ProfileIds.For(workspaceId, sourceId, messageId, logged[0].Sequence), appendedAt);
            _signal.Pulse();
            probes.Add(probe);
            _sent.Enqueue(probe);
        }
    }

    // Reads each pending probe's memberships every poll interval until it is in the probe audience (or 30 s pass).
    private async Task PollAsync(List<(Probe, long)> results, Task sending)
    {
        var pending = new List<Probe>();
        var giveUp = (long)(30 * Stopwatch.Frequency);
        while (!sending.IsCompleted || !_sent.IsEmpty || pending.Count > 0)
        {
            while (_sent.TryDequeue(out var next))
            {
                pending.Add(next);
            }

            for (var i = pending.Count - 1; i >= 0; i--)
            {
                var probe = pending[i];
                var memberships = await store.Audiences.GetMembershipsAsync(workspaceId, probe.ProfileId, CancellationToken.None);
                var now = Stopwatch.GetTimestamp();
                if (memberships.Any(m => m.AudienceKey == store.AudienceKey))
                {
                    results.Add((probe, now));
                    pending.RemoveAt(i);
                }
                else if (now - probe.AppendedAt > giveUp)
                {
                    pending.RemoveAt(i);
                }
            }

            await Task.Delay(options.PollInterval);
        }
    }

    private CollectedEvent Identify(string messageId)
    {
        var json = $$$"""{"type":"identify","userId":"{{{messageId}}}","messageId":"{{{messageId}}}","traits":{"probe":true,"plan":"pro"}}""";
        using var document = JsonDocument.Parse(json);
        var request = new IngestContext(sourceId, TimeProvider.System.GetUtcNow(), null);
        return _normalizer.Normalize(document.RootElement, default, null, request).Accepted
            ?? throw new InvalidOperationException("The probe event was refused.");
    }

    private sealed record Probe(string ProfileId, long AppendedAt);
}
