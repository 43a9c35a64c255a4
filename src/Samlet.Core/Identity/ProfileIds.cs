using Samlet.Events;

namespace Samlet.Identity;

/// <summary>
/// Profile ids derived from the event that creates the profile, so that <c>samlet rebuild</c> and unmerge replays give
/// the same ids as live processing: <c>prf_</c>, 10 characters of the event's log position, then 10 base-32 characters
/// (50 bits) of SHA-256(workspace, source, messageId). The position comes first, in an alphabet in ASCII order, so ids
/// sort in the order their profiles were created and every table keyed by profile id grows at its end (ADR 15).
/// </summary>
public static class ProfileIds
{
    // Both alphabets hold the same 32 characters; the position's is in ASCII order, so ordinal order is numeric order.
    private const string Ordered = "234567abcdefghijklmnopqrstuvwxyz";
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private const int PositionChars = 10;

    /// <summary>The largest log position an id can spell in its 10 characters (2^50 − 1): every later one is written as it.</summary>
    public const long MaxPosition = (1L << (5 * PositionChars)) - 1;

    public static string For(string workspaceId, string sourceId, string messageId, long sequence)
    {
        Span<char> id = stackalloc char[4 + PositionChars + 10];
        "prf_".CopyTo(id);
        var position = (ulong)Math.Clamp(sequence, 0, MaxPosition);
        for (var i = 4 + PositionChars - 1; i >= 4; i--)
        {
            id[i] = Ordered[(int)(position & 31)];
            position >>= 5;
        }

        Span<byte> hash = stackalloc byte[32];
        LineHash.Sha256(hash, workspaceId, sourceId, messageId);
        ulong bits = 0;
        var held = 0;
        var at = 0;
        for (var i = 4 + PositionChars; i < id.Length; i++)
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
