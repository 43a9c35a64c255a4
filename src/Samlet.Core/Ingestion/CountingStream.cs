namespace Samlet.Ingestion;

/// <summary>A read-only wrapper that counts the bytes read (for progress) and can peek at the first bytes (to detect gzip).</summary>
internal sealed class CountingStream(Stream inner) : Stream
{
    private byte[] _peeked = [];
    private int _peekOffset;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public async Task<int> PeekAsync(byte[] into, CancellationToken cancellationToken)
    {
        var read = await inner.ReadAtLeastAsync(into, into.Length, throwOnEndOfStream: false, cancellationToken);
        _peeked = into[..read];
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_peekOffset < _peeked.Length)
        {
            var n = Math.Min(buffer.Length, _peeked.Length - _peekOffset);
            _peeked.AsSpan(_peekOffset, n).CopyTo(buffer);
            _peekOffset += n;
            _position += n;
            return n;
        }

        var read = inner.Read(buffer);
        _position += read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_peekOffset < _peeked.Length)
        {
            return Read(buffer.Span);
        }

        var read = await inner.ReadAsync(buffer, cancellationToken);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
