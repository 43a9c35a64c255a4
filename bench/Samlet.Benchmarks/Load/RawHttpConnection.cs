using System.Net;
using System.Net.Sockets;

namespace Samlet.Benchmarks.Load;

/// <summary>
/// One keep-alive HTTP/1.1 connection over a plain socket: writes the pre-built request bytes in one send and reads
/// until the response is framed. Far cheaper per request than HttpClient (see bench/README.md), and the generator
/// shares two cores with the server. Reconnects after an error or "Connection: close".
/// </summary>
internal sealed class RawHttpConnection(IPEndPoint server) : IRequestSender
{
    private byte[] _buffer = new byte[4096];
    private Socket? _socket;

    public async ValueTask<int> SendAsync(PayloadRing.Template request, CancellationToken cancellationToken) =>
        (await ExchangeAsync(request.Bytes, cancellationToken)).Status;

    /// <summary>
    /// Sends <paramref name="request"/> and reads the whole response; the bytes returned (head and body, as sent)
    /// stay valid until the next call.
    /// </summary>
    public async ValueTask<(int Status, ReadOnlyMemory<byte> Response)> ExchangeAsync(byte[] request, CancellationToken cancellationToken)
    {
        try
        {
            var socket = _socket ??= await ConnectAsync(cancellationToken);
            for (var sent = 0; sent < request.Length;)
            {
                sent += await socket.SendAsync(request.AsMemory(sent), cancellationToken);
            }
            for (var filled = 0; ;)
            {
                if (filled == _buffer.Length)
                {
                    Array.Resize(ref _buffer, _buffer.Length * 2);
                }
                var read = await socket.ReceiveAsync(_buffer.AsMemory(filled), cancellationToken);
                if (read == 0)
                {
                    throw new IOException("The server closed the connection before answering.");
                }
                filled += read;
                if (HttpFraming.TryFrame(_buffer.AsSpan(0, filled), out var length, out var close))
                {
                    if (close)
                    {
                        Dispose();
                    }
                    return (HttpFraming.Status(_buffer), _buffer.AsMemory(0, length));
                }
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _socket?.Dispose();
        _socket = null;
    }

    private async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(server, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
