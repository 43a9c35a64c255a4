using System.Buffers;

namespace Samlet.Demo;

/// <summary>
/// The serialised events of one customer session waiting to be merged into the global time order.
/// A growable byte buffer (the JSON writer's target) plus one entry per output line; entries may
/// share bytes (a retried duplicate) or cut them short (a malformed line).
/// </summary>
internal sealed class SessionBuffer : IBufferWriter<byte>
{
    private byte[] _data = new byte[16 * 1024];
    private int _length;
    private Entry[] _entries = new Entry[32];
    private int _count;
    private int _next;

    public int Length => _length;

    public int Count => _count;

    public bool HasNext => _next < _count;

    public long NextTimestamp => _entries[_next].Timestamp;

    public void Reset()
    {
        _length = 0;
        _count = 0;
        _next = 0;
    }

    public void Add(long timestamp, int start, int length)
    {
        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, _count * 2);
        }

        _entries[_count++] = new Entry(timestamp, start, length, false);
    }

    /// <summary>Repeats the last line, as a client retry with the same messageId would.</summary>
    public void DuplicateLast() => Add(_entries[_count - 1].Timestamp, _entries[_count - 1].Start, _entries[_count - 1].Length);

    /// <summary>Cuts the last line to <paramref name="fraction"/> of its bytes: no longer valid JSON.</summary>
    public void TruncateLast(double fraction)
    {
        ref var last = ref _entries[_count - 1];
        last = last with { Length = Math.Max(1, (int)(last.Length * fraction)), Malformed = true };
    }

    /// <summary>Removes the last line's bytes (an event past the end of the window).</summary>
    public void DropBytesFrom(int start) => _length = start;

    public ReadOnlyMemory<byte> Take(out long timestamp, out bool malformed)
    {
        var e = _entries[_next++];
        timestamp = e.Timestamp;
        malformed = e.Malformed;
        return _data.AsMemory(e.Start, e.Length);
    }

    public void Advance(int count) => _length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _data.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _data.AsSpan(_length);
    }

    private void Ensure(int sizeHint)
    {
        var needed = _length + Math.Max(sizeHint, 256);
        if (needed > _data.Length)
        {
            Array.Resize(ref _data, Math.Max(needed, _data.Length * 2));
        }
    }

    private readonly record struct Entry(long Timestamp, int Start, int Length, bool Malformed);
}
