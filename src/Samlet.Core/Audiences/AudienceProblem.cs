namespace Samlet.Audiences;

/// <summary>A problem of one audience in the context of its workspace's other definitions.</summary>
public sealed record AudienceProblem(string AudienceKey, string Path, string Message)
{
    public DefinitionProblem ToDefinitionProblem() => new(Path, Message);

    public override string ToString() => $"{AudienceKey}{Path}: {Message}";
}
