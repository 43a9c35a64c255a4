namespace Samlet.Audiences;

/// <summary>A parsed definition, or (when <see cref="Definition"/> is null) every problem found in it.</summary>
public sealed record Parsed<T>(T? Definition, IReadOnlyList<DefinitionProblem> Problems)
    where T : class
{
    public bool IsValid => Definition is not null;

    /// <summary>The definition; throws with every problem listed when there is none.</summary>
    public T Value => Definition ?? throw new InvalidOperationException(
        "Invalid definition: " + string.Join("; ", Problems));
}
