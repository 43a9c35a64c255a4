using System.Buffers.Text;
using System.Text;

namespace Samlet.Benchmarks.Load;

/// <summary>
/// Just enough HTTP/1.1 framing for the raw-socket client and the ceiling stub: where a message ends
/// (Content-Length or chunked; neither means no body) and whether the peer closes the connection.
/// </summary>
internal static class HttpFraming
{
    /// <summary>True when <paramref name="data"/> starts with a whole message; <paramref name="length"/> is its size in bytes.</summary>
    public static bool TryFrame(ReadOnlySpan<byte> data, out int length, out bool close)
    {
        length = 0;
        close = false;
        var headEnd = data.IndexOf("\r\n\r\n"u8);
        if (headEnd < 0)
        {
            return false;
        }
        long contentLength = 0;
        var chunked = false;
        var lines = data[..headEnd];
        lines = lines[(lines.IndexOf("\r\n"u8) is var s and >= 0 ? s + 2 : lines.Length)..]; // skip the start line
        while (!lines.IsEmpty)
        {
            var end = lines.IndexOf("\r\n"u8);
            var line = end < 0 ? lines : lines[..end];
            lines = end < 0 ? [] : lines[(end + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon < 0)
            {
                continue;
            }
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "content-length"u8))
            {
                Utf8Parser.TryParse(value, out contentLength, out _);
            }
            else if (Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8))
            {
                chunked = Ascii.EqualsIgnoreCase(value, "chunked"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "connection"u8))
            {
                close = Ascii.EqualsIgnoreCase(value, "close"u8);
            }
        }
        var bodyStart = headEnd + 4;
        if (!chunked)
        {
            length = (int)(bodyStart + contentLength);
            return data.Length >= length;
        }
        for (var at = bodyStart; ;)
        {
            var lineEnd = data[at..].IndexOf("\r\n"u8);
            if (lineEnd < 0 || !Utf8Parser.TryParse(data.Slice(at, lineEnd), out int size, out _, 'x'))
            {
                return false;
            }
            at += lineEnd + 2 + size + 2; // chunk data and its CRLF; the last chunk (0) ends with an empty trailer line
            if (at > data.Length)
            {
                return false;
            }
            if (size == 0)
            {
                length = at;
                return true;
            }
        }
    }

    /// <summary>The status code of a response start line ("HTTP/1.1 200 OK").</summary>
    public static int Status(ReadOnlySpan<byte> response) =>
        response.Length >= 12 && Utf8Parser.TryParse(response.Slice(9, 3), out int status, out _) ? status : 0;
}
