using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Samlet.Storage.Sqlite;

/// <summary>
/// The (source, messageId) pairs the event log appended recently, so that it skips SDK retries without a unique index:
/// with random ids, as SDKs send them, every append dirtied a random 16 KB page of that index (20-event appends measured
/// 37,600 events/s with it, 161,000 without). A pair is remembered at least <see cref="Window"/> after its receivedAt, in
/// two generations that turn over when the appends' receivedAt has moved on by a window; sources named in
/// <see cref="RememberForever"/> are remembered for good. Used only under the store's write lock.
/// </summary>
internal sealed class MessageIdWindow
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    // 128-bit keys, seeded per process (the window is loaded from the log at start): no two pairs share one in practice.
    private readonly XxHash128 _hash = new(Random.Shared.NextInt64());
    private readonly KeySet _forever = new();
    private KeySet _current = new();
    private KeySet _previous = new();
    private DateTimeOffset _currentSince = DateTimeOffset.MinValue;

    public int Count => _current.Count + _previous.Count + _forever.Count;

    public UInt128 Key(string sourceId, string messageId)
    {
        _hash.Reset();
        _hash.Append(MemoryMarshal.AsBytes(sourceId.AsSpan()));
        _hash.Append([0, 0]); // source ids never hold a NUL: the pair stays unambiguous
        _hash.Append(MemoryMarshal.AsBytes(messageId.AsSpan()));
        return _hash.GetCurrentHashAsUInt128();
    }

    /// <summary>Remembers the key unless it is remembered already (then false): one probe of the current generation.</summary>
    public bool Add(UInt128 key, DateTimeOffset receivedAt)
    {
        if (receivedAt - _currentSince >= Window)
        {
            (_previous, _current) = (_current, _previous);
            _current.Clear();
            _currentSince = receivedAt;
        }

        return !_forever.Contains(key) && !_previous.Contains(key) && _current.Add(key);
    }

    /// <summary>Forgets a key <see cref="Add"/> took, for an append that was rolled back.</summary>
    public void Forget(UInt128 key)
    {
        if (!_current.Remove(key))
        {
            _previous.Remove(key);
        }
    }

    /// <summary>Everything added from now on with an older receivedAt joins the current generation (a load from the log, newest first).</summary>
    public void StartAt(DateTimeOffset newest) => _currentSince = newest;

    public void RememberForever(UInt128 key) => _forever.Add(key);
}
