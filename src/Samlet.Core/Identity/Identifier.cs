using System.Diagnostics.CodeAnalysis;

namespace Samlet.Identity;

/// <summary>
/// A typed identifier of a person, such as <c>email:jane@example.com</c>. The value is normalised
/// (<see cref="IdentifierNormalizer"/>) before it becomes an identifier, so equality is ordinal.
/// </summary>
public readonly record struct Identifier(string Type, string Value)
{
    /// <summary>The longest type name accepted (custom types included).</summary>
    public const int MaxTypeLength = 64;

    /// <summary>The Profile API form <c>type:value</c>.</summary>
    public override string ToString() => Type + ":" + Value;

    /// <summary>Parses <c>type:value</c>, splitting on the first ':' (values may contain ':'). The value is not normalised.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Identifier identifier)
    {
        identifier = default;
        if (text is null)
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1 || !IsValidTypeName(text.AsSpan(0, colon)))
        {
            return false;
        }

        identifier = new Identifier(text[..colon], text[(colon + 1)..]);
        return true;
    }

    public static Identifier Parse(string text) => TryParse(text, out var identifier)
        ? identifier
        : throw new FormatException($"'{text}' is not an identifier: expected type:value, e.g. email:jane@example.com.");

    /// <summary>A type name is lower-case ASCII letters, digits and '_', starts with a letter, and is at most 64 long.</summary>
    public static bool IsValidTypeName(ReadOnlySpan<char> type)
    {
        if (type.IsEmpty || type.Length > MaxTypeLength || !char.IsAsciiLetterLower(type[0]))
        {
            return false;
        }

        foreach (var c in type)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
