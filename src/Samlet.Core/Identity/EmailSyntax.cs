namespace Samlet.Identity;

/// <summary>
/// A pragmatic e-mail check: what real sign-up forms accept, not the whole of RFC 5321/5322. Accepted: one '@'; a local
/// part of 1–64 characters without spaces, control characters, quotes or <c>(),:;&lt;&gt;[\]</c>, not starting or ending
/// with '.' and without "..", and a domain of dot-separated labels (ASCII letters, digits, '-', or any non-ASCII, non-space character for IDN) with at
/// least two labels and a top-level label of two or more characters that is not all digits. Refused: quoted local parts
/// and IP-literal domains, which forms do not produce.
/// </summary>
internal static class EmailSyntax
{
    private const int MaxLength = 254;
    private const int MaxLocalLength = 64;
    private const int MaxLabelLength = 63;

    /// <summary>Trims and lower-cases <paramref name="raw"/> when it is an address; returns <paramref name="raw"/> itself when already normal.</summary>
    public static bool TryNormalize(string raw, out string email)
    {
        email = "";
        var text = raw.AsSpan().Trim();
        var at = text.IndexOf('@');
        if (text.Length > MaxLength || at <= 0 || at != text.LastIndexOf('@')
            || !IsLocalPart(text[..at]) || !IsDomain(text[(at + 1)..]))
        {
            return false;
        }

        email = text.Length == raw.Length && !HasUpper(text) ? raw : LowerCopy(text);
        return true;
    }

    private static bool IsLocalPart(ReadOnlySpan<char> local)
    {
        if (local.Length > MaxLocalLength || local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in local)
        {
            if (c <= ' ' || char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or '(' or ')' or ',' or ':' or ';' or '<' or '>' or '[' or '\\' or ']')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDomain(ReadOnlySpan<char> domain)
    {
        var labels = 0;
        var lastLabel = ReadOnlySpan<char>.Empty;
        while (true)
        {
            var dot = domain.IndexOf('.');
            var label = dot < 0 ? domain : domain[..dot];
            if (!IsLabel(label))
            {
                return false;
            }

            labels++;
            lastLabel = label;
            if (dot < 0)
            {
                break;
            }

            domain = domain[(dot + 1)..];
        }

        return labels >= 2 && lastLabel.Length >= 2 && lastLabel.ContainsAnyExceptInRange('0', '9');
    }

    private static bool IsLabel(ReadOnlySpan<char> label)
    {
        if (label.IsEmpty || label.Length > MaxLabelLength || label[0] == '-' || label[^1] == '-')
        {
            return false;
        }

        foreach (var c in label)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && (c < 0x80 || char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasUpper(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (char.IsUpper(c))
            {
                return true;
            }
        }

        return false;
    }

    private static string LowerCopy(ReadOnlySpan<char> text)
    {
        Span<char> buffer = text.Length <= 256 ? stackalloc char[text.Length] : new char[text.Length];
        text.ToLowerInvariant(buffer);
        return new string(buffer);
    }
}
