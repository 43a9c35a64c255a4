namespace Samlet.Audiences;

/// <summary>What is wrong with a definition: <see cref="Path"/> is a JSON pointer to the wrong node ("" for the whole document).</summary>
public sealed record DefinitionProblem(string Path, string Message)
{
    public override string ToString() => $"{(Path.Length == 0 ? "/" : Path)}: {Message}";
}
