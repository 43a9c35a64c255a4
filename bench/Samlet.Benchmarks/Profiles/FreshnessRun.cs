using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Samlet.Benchmarks.Load;

namespace Samlet.Benchmarks.Profiles;

/// <summary>
/// Event-to-profile freshness: identify events, each with a new userId and a trait of a unique value, are sent at a
/// fixed rate (open loop, as in <see cref="LoadRun"/>); after each 200 OK the Segment traits path of that userId is read
/// every poll interval until it shows the value. Freshness is the time from the 200 OK to the end of the first read
/// that showed it, so it is exact to within one poll interval (plus timer slop) and includes one read's latency.
/// Senders and pollers have their own connections; pending events wait in a queue, oldest read first.
/// </summary>
internal sealed class FreshnessRun(FreshnessOptions options, IPEndPoint server, string space, string runId)
{
    private const string Trait = "bench_token";
    private readonly Channel<FreshnessProbe> _pending = Channel.CreateUnbounded<FreshnessProbe>();
    private readonly string _basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(options.WriteKey + ":"));
    private long _sequence;
    private int _open;
    private int _sendersDone;

    /// <summary>The userId of event <paramref name="k"/> of this run; its trait value is <c>runId-k</c>.</summary>
    public string UserIdOf(long k) => $"fresh-{runId}-{k}";

    public async Task<(FreshnessStats Stats, TimeSpan Cpu)> ExecuteAsync()
    {
        var t0 = Stopwatch.GetTimestamp();
        var window = new LoadRun.Window(t0, t0 + LoadRun.Ticks(options.Warmup), t0 + LoadRun.Ticks(options.Warmup + options.Duration));
        using var hardStop = new CancellationTokenSource(options.Warmup + options.Duration + options.GiveUp + TimeSpan.FromSeconds(10));
        var slots = Channel.CreateUnbounded<long>(new() { SingleWriter = true });
        var cpuAtMeasure = CpuTimeAfterAsync(options.Warmup);
        var cpuAtEnd = CpuTimeAfterAsync(options.Warmup + options.Duration);
        var pacer = Task.Factory.StartNew(() => LoadRun.Pace(window, options.Rate, slots.Writer), TaskCreationOptions.LongRunning);
        var senders = Enumerable.Range(0, options.Senders).Select(_ => Task.Run(() => SendAsync(window, slots.Reader, hardStop.Token))).ToList();
        var pollers = Enumerable.Range(0, options.Pollers).Select(_ => Task.Run(() => PollAsync(hardStop.Token))).ToList();
        await pacer;
        var all = new FreshnessStats();
        foreach (var stats in await Task.WhenAll(senders))
        {
            all.Add(stats);
        }
        Interlocked.Exchange(ref _sendersDone, 1);
        if (Volatile.Read(ref _open) == 0)
        {
            _pending.Writer.TryComplete();
        }
        foreach (var stats in await Task.WhenAll(pollers))
        {
            all.Add(stats);
        }
        return (all, await cpuAtEnd - await cpuAtMeasure);
    }

    /// <summary>One identify event for <c>fresh-RUN-k</c> with the trait <c>bench_token: RUN-k</c>, as a whole POST /v1/batch.</summary>
    public byte[] IdentifyRequest(long k)
    {
        var userId = UserIdOf(k);
        var timestamp = TimeProvider.System.GetUtcNow().UtcDateTime.ToString("O");
        var body = $$"""{"batch":[{"type":"identify","messageId":"{{userId}}","userId":"{{userId}}","traits":{"{{Trait}}":"{{runId}}-{{k}}"},"timestamp":"{{timestamp}}"}],"sentAt":"{{timestamp}}"}""";
        return Encoding.ASCII.GetBytes(
            $"POST /v1/batch HTTP/1.1\r\nHost: {server}\r\nAuthorization: Basic {_basic}\r\nContent-Type: application/json\r\n" +
            $"User-Agent: samlet-loadgen\r\nContent-Length: {body.Length}\r\n\r\n{body}");
    }

    private async Task<FreshnessStats> SendAsync(LoadRun.Window window, ChannelReader<long> slots, CancellationToken hardStop)
    {
        var stats = new FreshnessStats();
        using var connection = new RawHttpConnection(server);
        while (true)
        {
            long due;
            try
            {
                due = await slots.ReadAsync(CancellationToken.None);
            }
            catch (ChannelClosedException)
            {
                return stats;
            }
            if (Stopwatch.GetTimestamp() >= window.End)
            {
                return stats;
            }
            var k = Interlocked.Increment(ref _sequence);
            var sent = Stopwatch.GetTimestamp();
            int status;
            try
            {
                (status, _) = await connection.ExchangeAsync(IdentifyRequest(k), hardStop);
            }
            catch (OperationCanceledException) when (hardStop.IsCancellationRequested)
            {
                return stats;
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                status = WorkerStats.ConnectionError;
            }
            var acked = Stopwatch.GetTimestamp();
            var measured = due >= window.Measure;
            if (measured)
            {
                stats.Sends.Record(status, LoadRun.Micros(acked - due), LoadRun.Micros(sent - due));
            }
            if (status == 200)
            {
                var path = ProfileRequests.PathOf("traits", space, "user_id:" + UserIdOf(k));
                var poll = ProfileRequests.Get($"{path}?include={Trait}", server.ToString(), options.ApiKey).Bytes;
                Interlocked.Increment(ref _open);
                _pending.Writer.TryWrite(new FreshnessProbe(poll, Encoding.ASCII.GetBytes($"\"{Trait}\":\"{runId}-{k}\""), acked, measured));
            }
        }
    }

    private async Task<FreshnessStats> PollAsync(CancellationToken hardStop)
    {
        var stats = new FreshnessStats();
        using var connection = new RawHttpConnection(server);
        var interval = LoadRun.Ticks(options.PollInterval);
        var giveUp = LoadRun.Ticks(options.GiveUp);
        while (true)
        {
            FreshnessProbe probe;
            try
            {
                probe = await _pending.Reader.ReadAsync(hardStop);
                var wait = probe.NextPoll - Stopwatch.GetTimestamp();
                if (wait > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), hardStop);
                }
            }
            catch (ChannelClosedException)
            {
                return stats;
            }
            catch (OperationCanceledException) when (hardStop.IsCancellationRequested)
            {
                return stats; // events still open are missing from "readable": the table shows the shortfall
            }
            int status;
            var found = false;
            try
            {
                var (code, response) = await connection.ExchangeAsync(probe.PollRequest, hardStop);
                status = code;
                found = code == 200 && response.Span.IndexOf(probe.Expected) >= 0;
            }
            catch (OperationCanceledException) when (hardStop.IsCancellationRequested)
            {
                return stats;
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                status = WorkerStats.ConnectionError;
            }
            var now = Stopwatch.GetTimestamp();
            stats.Polls++;
            stats.PollStatuses[(uint)status < 600 ? status : WorkerStats.ConnectionError]++;
            if (found || now - probe.AckedAt > giveUp)
            {
                if (probe.Measured && found)
                {
                    stats.Readable++;
                    stats.Freshness.Record(LoadRun.Micros(now - probe.AckedAt));
                }
                else if (probe.Measured)
                {
                    stats.NeverReadable++;
                }
                Close();
                continue;
            }
            probe.NextPoll = now + interval;
            _pending.Writer.TryWrite(probe);
        }
    }

    // The last open event closed after the senders finished ends the pollers.
    private void Close()
    {
        if (Interlocked.Decrement(ref _open) == 0 && Volatile.Read(ref _sendersDone) == 1)
        {
            _pending.Writer.TryComplete();
        }
    }

    private static async Task<TimeSpan> CpuTimeAfterAsync(TimeSpan delay)
    {
        await Task.Delay(delay);
        return Environment.CpuUsage.TotalTime;
    }
}
