using System.Text;

namespace Samlet.Audiences;

/// <summary>
/// Splits the audience text form into tokens: words (letters, digits, <c>_</c> and <c>.</c>, not starting with a digit),
/// double-quoted strings (<c>\"</c> and <c>\\</c> are escapes; any other backslash is kept, so regular expressions read
/// as written), numbers, durations (<c>7d</c>, <c>12h</c>: a number run into letters) and the symbols
/// <c>( ) , = == != &gt; &gt;= &lt; &lt;=</c>.
/// </summary>
internal static class TextLexer
{
    /// <summary>The tokens, ending with <see cref="TextTokenKind.End"/>, or the first problem.</summary>
    public static (List<TextToken> Tokens, TextProblem? Problem) Read(string text)
    {
        var tokens = new List<TextToken>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i == text.Length)
            {
                tokens.Add(new TextToken(TextTokenKind.End, "", i + 1));
                return (tokens, null);
            }

            var start = i;
            var c = text[i];
            if (c == '"')
            {
                if (ReadString(text, ref i) is not { } contents)
                {
                    return (tokens, new TextProblem(start + 1, "unterminated string: a closing \" is missing"));
                }

                tokens.Add(new TextToken(TextTokenKind.String, contents, start + 1));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '.'))
                {
                    i++;
                }

                tokens.Add(new TextToken(TextTokenKind.Word, text[start..i], start + 1));
            }
            else if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                tokens.Add(ReadNumber(text, ref i));
            }
            else if (Symbol(text, i) is { } symbol)
            {
                i += symbol.Length;
                tokens.Add(new TextToken(TextTokenKind.Symbol, symbol, start + 1));
            }
            else
            {
                return (tokens, new TextProblem(start + 1, $"unexpected character '{c}'"));
            }
        }
    }

    private static string? ReadString(string text, ref int i)
    {
        var sb = new StringBuilder();
        i++;
        while (i < text.Length)
        {
            var c = text[i++];
            if (c == '"')
            {
                return sb.ToString();
            }

            if (c == '\\' && i < text.Length && text[i] is '"' or '\\')
            {
                sb.Append(text[i++]);
            }
            else
            {
                sb.Append(c);
            }
        }

        return null;
    }

    // -?digits[.digits][e[+-]digits]; letters straight after make it a duration such as 90d (checked by the parser).
    private static TextToken ReadNumber(string text, ref int i)
    {
        var start = i;
        if (text[i] == '-')
        {
            i++;
        }

        Digits(text, ref i);
        if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
        {
            i++;
            Digits(text, ref i);
        }

        var exponent = i;
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            if (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                Digits(text, ref i);
            }
            else
            {
                i = exponent;
            }
        }

        if (i < text.Length && (char.IsLetter(text[i]) || text[i] == '_'))
        {
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
            {
                i++;
            }

            return new TextToken(TextTokenKind.Duration, text[start..i], start + 1);
        }

        return new TextToken(TextTokenKind.Number, text[start..i], start + 1);
    }

    private static void Digits(string text, ref int i)
    {
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }
    }

    private static string? Symbol(string text, int i)
    {
        var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
        if (two is "!=" or ">=" or "<=" or "==")
        {
            return two;
        }

        return text[i] is '(' or ')' or ',' or '=' or '>' or '<' ? text[i].ToString() : null;
    }
}
