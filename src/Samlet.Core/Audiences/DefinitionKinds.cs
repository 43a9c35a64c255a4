namespace Samlet.Audiences;

/// <summary>Conversions between <see cref="DefinitionKind"/> and the names the API and the stores use.</summary>
public static class DefinitionKinds
{
    public static string ToWire(this DefinitionKind kind) => kind switch
    {
        DefinitionKind.ComputedTrait => "computed_trait",
        DefinitionKind.Audience => "audience",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool TryParse(ReadOnlySpan<char> text, out DefinitionKind kind)
    {
        switch (text)
        {
            case "computed_trait": kind = DefinitionKind.ComputedTrait; return true;
            case "audience": kind = DefinitionKind.Audience; return true;
            default: kind = default; return false;
        }
    }

    /// <summary>Parses a name a store wrote (anything else is a corrupt row).</summary>
    public static DefinitionKind Parse(string text) =>
        TryParse(text, out var kind) ? kind : throw new FormatException($"Unknown definition kind '{text}'.");
}
