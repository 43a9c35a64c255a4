using System.Diagnostics;
using System.Threading.Channels;

namespace Samlet.Benchmarks.Load;

/// <summary>
/// One timed run: <c>connections</c> workers, each with its own connection and its own sequence of requests
/// (<c>requestsOf</c> gives worker w a function that returns its next request, e.g. its slice of a payload ring).
/// Closed loop: each worker sends its next request as soon as the previous one is answered (maximum throughput).
/// Open loop: request k is due at start + k/rate whatever happened before; an idle worker takes the oldest due slot,
/// and latency is counted from that due time, so a stalled server is charged for the requests it kept waiting
/// (no coordinated omission).
/// Only requests due after the warm-up count; requests still unanswered at end + grace count as timeouts.
/// </summary>
internal sealed class LoadRun(Func<int, Func<PayloadRing.Template>> requestsOf, Func<IRequestSender> connect, int connections, double? rate)
{
    private static readonly TimeSpan _grace = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Runs the workers; returns their merged figures and the CPU time this process used during the measured window
    /// (so JIT and connection set-up in the warm-up are not charged to the requests).
    /// </summary>
    public async Task<(WorkerStats Stats, TimeSpan Cpu)> ExecuteAsync(TimeSpan warmup, TimeSpan duration)
    {
        var cpuAtMeasure = CpuTimeAfterAsync(warmup);
        var cpuAtEnd = CpuTimeAfterAsync(warmup + duration);
        var t0 = Stopwatch.GetTimestamp();
        var window = new Window(t0, t0 + Ticks(warmup), t0 + Ticks(warmup + duration));
        using var hardStop = new CancellationTokenSource(warmup + duration + _grace);
        Channel<long>? schedule = null;
        var pacer = Task.CompletedTask;
        if (rate is double perSecond)
        {
            var channel = schedule = Channel.CreateUnbounded<long>(new() { SingleWriter = true });
            pacer = Task.Factory.StartNew(() => Pace(window, perSecond, channel.Writer), TaskCreationOptions.LongRunning);
        }
        var workers = new Task<WorkerStats>[connections];
        for (var w = 0; w < connections; w++)
        {
            var worker = w;
            workers[w] = Task.Run(() => WorkAsync(worker, window, schedule?.Reader, hardStop.Token));
        }
        await pacer;
        var all = new WorkerStats();
        foreach (var stats in await Task.WhenAll(workers))
        {
            all.Add(stats);
        }
        return (all, await cpuAtEnd - await cpuAtMeasure);
    }

    private async Task<WorkerStats> WorkAsync(int worker, Window window, ChannelReader<long>? schedule, CancellationToken hardStop)
    {
        var stats = new WorkerStats();
        using var sender = connect();
        var nextRequest = requestsOf(worker);
        while (true)
        {
            long due;
            try
            {
                // ReadAsync hands each slot to one waiting worker; WaitToReadAsync would wake them all.
                due = schedule is null ? Stopwatch.GetTimestamp() : await schedule.ReadAsync(CancellationToken.None);
            }
            catch (ChannelClosedException)
            {
                return stats; // the pacer has released every slot of the window
            }
            if (Stopwatch.GetTimestamp() >= window.End)
            {
                return stats; // an overloaded open loop leaves its late slots unsent: achieved < target rate shows it
            }
            var request = nextRequest();
            var sent = Stopwatch.GetTimestamp();
            int status;
            try
            {
                status = await sender.SendAsync(request, hardStop);
            }
            catch (OperationCanceledException) when (hardStop.IsCancellationRequested)
            {
                status = WorkerStats.Timeout;
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or HttpRequestException)
            {
                status = WorkerStats.ConnectionError;
            }
            if (due >= window.Measure)
            {
                stats.Record(status, Micros(Stopwatch.GetTimestamp() - due), Micros(sent - due));
            }
            if (status == WorkerStats.Timeout)
            {
                return stats;
            }
            if (status == WorkerStats.ConnectionError)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None); // do not spin on a refused port
            }
        }
    }

    /// <summary>
    /// Open loop, on its own thread: releases the due time of every slot (start + k/rate) as it comes due.
    /// .NET timers fire on a coarse clock (every ~4 ms on this machine); a timed wait on an event that is never set
    /// wakes within ~0.1 ms of the 1 ms asked for, so slots leave at most ~1 ms late. That lateness is counted in
    /// the latency and shown as start lag.
    /// </summary>
    internal static void Pace(Window window, double rate, ChannelWriter<long> schedule)
    {
        var ticksPerRequest = Stopwatch.Frequency / rate;
        using var never = new ManualResetEventSlim(false, spinCount: 0); // spinning yields the core, which on a busy machine costs ms
        for (long k = 1; ; never.Wait(1))
        {
            var now = Stopwatch.GetTimestamp();
            for (long due; (due = window.Start + (long)(k * ticksPerRequest)) <= now; k++)
            {
                if (due >= window.End)
                {
                    schedule.Complete();
                    return;
                }
                schedule.TryWrite(due);
            }
        }
    }

    private static async Task<TimeSpan> CpuTimeAfterAsync(TimeSpan delay)
    {
        await Task.Delay(delay);
        return Environment.CpuUsage.TotalTime;
    }

    internal static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    internal static long Micros(long ticks) => ticks * 1_000_000 / Stopwatch.Frequency;

    /// <summary>Stopwatch timestamps: the run starts, the measured part starts (after the warm-up), the run ends.</summary>
    internal sealed record Window(long Start, long Measure, long End);
}
