using System.Security.Cryptography;
using System.Text;

namespace Samlet.Identity;

/// <summary>
/// Profile ids derived from the event that creates the profile, so that <c>samlet rebuild</c> and unmerge replays give
/// the same ids as live processing: <c>prf_</c> and 20 base-32 characters (100 bits) of SHA-256(workspace, source, messageId).
/// </summary>
public static class ProfileIds
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static string For(string workspaceId, string sourceId, string messageId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(workspaceId + "\n" + sourceId + "\n" + messageId), hash);
        Span<char> id = stackalloc char[24];
        "prf_".CopyTo(id);
        ulong bits = 0;
        var held = 0;
        var at = 0;
        for (var i = 4; i < id.Length; i++)
        {
            if (held < 5)
            {
                bits = (bits << 8) | hash[at++];
                held += 8;
            }

            held -= 5;
            id[i] = Alphabet[(int)((bits >> held) & 31)];
        }

        return new string(id);
    }
}
