namespace Samlet.Demo;

/// <summary>
/// Merges all customers' sessions into one time-ordered stream. Idle customers wait in a priority
/// queue keyed by their next session start; a session is generated (serialised) only when its start
/// is the earliest pending time, and its events are then merged one by one. Memory therefore holds
/// the customers plus the sessions in flight, never the output.
/// </summary>
internal sealed class DemoEventStream
{
    // Priority = (milliseconds since window start) << 24 | customer index: a total order, so ties are deterministic.
    private const int IndexBits = 24;

    private readonly DemoContext _demo;
    private readonly PriorityQueue<Customer, long> _queue;
    private readonly Stack<SessionBuffer> _freeBuffers = new();
    private readonly SessionScript _script;
    private ReadOnlyMemory<byte> _current;

    public DemoEventStream(DemoContext demo)
    {
        _demo = demo;
        var options = demo.Options;
        var people = options.Customers * 2;
        _queue = new PriorityQueue<Customer, long>(people);
        for (var i = 0; i < people; i++)
        {
            // Customers and visitors alternate so that neither group gets the low indices.
            var customer = new Customer(i, willRegister: i % 2 == 0, DemoRandom.For(options.Seed, DemoContext.CustomerStream, i), demo);
            if (customer.NextSessionMs <= demo.EndMs)
            {
                _queue.Enqueue(customer, Key(customer.NextSessionMs, i));
            }
        }

        _script = new SessionScript(demo, new EventWriter(demo.EndMs, demo.BadData));
    }

    /// <summary>The current line: UTF-8 JSON without the trailing newline (or a deliberately malformed line).</summary>
    public ReadOnlySpan<byte> Current => _current.Span;

    public long CurrentTimestampMs { get; private set; }

    /// <summary>True for the planted lines that are not JSON.</summary>
    public bool CurrentIsMalformed { get; private set; }

    public bool MoveNext()
    {
        while (_queue.TryDequeue(out var customer, out _))
        {
            var pending = customer.Pending;
            if (pending is null)
            {
                pending = _freeBuffers.Count > 0 ? _freeBuffers.Pop() : new SessionBuffer();
                pending.Reset();
                _script.Run(customer, pending);
                if (pending.HasNext)
                {
                    customer.Pending = pending;
                    _queue.Enqueue(customer, Key(pending.NextTimestamp, customer.Index));
                }
                else
                {
                    _freeBuffers.Push(pending);
                    Reschedule(customer);
                }

                continue;
            }

            _current = pending.Take(out var timestamp, out var malformed);
            CurrentTimestampMs = timestamp;
            CurrentIsMalformed = malformed;
            if (pending.HasNext)
            {
                _queue.Enqueue(customer, Key(pending.NextTimestamp, customer.Index));
            }
            else
            {
                // The buffer goes back to the pool but is only reused inside the next MoveNext, after the caller is done with Current.
                customer.Pending = null;
                _freeBuffers.Push(pending);
                Reschedule(customer);
            }

            return true;
        }

        return false;
    }

    private void Reschedule(Customer customer)
    {
        if (customer.NextSessionMs <= _demo.EndMs)
        {
            _queue.Enqueue(customer, Key(customer.NextSessionMs, customer.Index));
        }
    }

    private long Key(long ms, int index) => ((ms - _demo.StartMs) << IndexBits) | (uint)index;
}
