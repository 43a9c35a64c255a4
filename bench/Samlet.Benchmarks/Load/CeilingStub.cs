using System.Net;
using System.Net.Sockets;

namespace Samlet.Benchmarks.Load;

/// <summary>
/// TEST STUB, not a benchmark target: answers 200 <c>{"success":true}</c> to every HTTP/1.1 request on loopback without
/// looking at it. It exists only to smoke-test the generator and to measure what the generator alone can drive.
/// </summary>
internal static class CeilingStub
{
    private static readonly byte[] _ok = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n{\"success\":true}"u8.ToArray();

    public static async Task ServeAsync(int port, TimeSpan lifetime)
    {
        using var stop = new CancellationTokenSource(lifetime);
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start(1024);
        Console.WriteLine($"TEST STUB listening on http://127.0.0.1:{port} for {lifetime.TotalSeconds:0} s: answers 200 to anything.");
        try
        {
            while (true)
            {
                _ = ServeConnectionAsync(await listener.AcceptSocketAsync(stop.Token), stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            listener.Stop();
        }
    }

    private static async Task ServeConnectionAsync(Socket socket, CancellationToken stop)
    {
        using var connection = socket;
        var buffer = new byte[128 * 1024];
        var filled = 0;
        try
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
                var read = await connection.ReceiveAsync(buffer.AsMemory(filled), stop);
                if (read == 0)
                {
                    return;
                }
                filled += read;
                while (HttpFraming.TryFrame(buffer.AsSpan(0, filled), out var length, out _))
                {
                    await connection.SendAsync(_ok, stop);
                    buffer.AsSpan(length, filled - length).CopyTo(buffer);
                    filled -= length;
                }
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
            // The client went away or the stub is stopping.
        }
    }
}
