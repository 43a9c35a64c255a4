namespace Samlet.Audiences;

internal enum TextTokenKind
{
    Word,
    String,
    Number,
    Duration,
    Symbol,
    End,
}

/// <summary>A token of the audience text form: <see cref="Text"/> is the word, symbol, number or duration as written, or a string's contents.</summary>
internal sealed record TextToken(TextTokenKind Kind, string Text, int Column)
{
    public bool IsWord(string keyword) => Kind == TextTokenKind.Word && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    public bool IsSymbol(string symbol) => Kind == TextTokenKind.Symbol && Text == symbol;

    /// <summary>The token as a person would point at it in a message.</summary>
    public string Shown => Kind switch
    {
        TextTokenKind.End => "the end",
        TextTokenKind.String => $"\"{Text}\"",
        _ => $"'{Text}'",
    };
}
