namespace Samlet.Audiences;

/// <summary>The first grammar error in the audience text form; caught by <see cref="AudienceText.Parse"/>.</summary>
internal sealed class TextSyntaxException(int column, string message) : Exception(message)
{
    public TextProblem Problem { get; } = new(column, message);
}
