using System.Security.Cryptography;
using System.Text;

namespace Samlet.Events;

/// <summary>
/// SHA-256 of strings joined by newlines, as UTF-8, for keys derived from an event's identity (profile ids, the
/// PostgreSQL store's de-duplication key). Short inputs are hashed from the stack: these run once per event.
/// </summary>
public static class LineHash
{
    public static void Sha256(Span<byte> hash, params ReadOnlySpan<string> lines)
    {
        var length = lines.Length - 1;
        foreach (var line in lines)
        {
            length += Encoding.UTF8.GetByteCount(line);
        }

        var input = length <= 512 ? stackalloc byte[length] : new byte[length];
        var written = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
            {
                input[written++] = (byte)'\n';
            }

            written += Encoding.UTF8.GetBytes(lines[i], input[written..]);
        }

        SHA256.HashData(input, hash);
    }
}
