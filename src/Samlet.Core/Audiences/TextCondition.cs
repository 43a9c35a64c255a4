namespace Samlet.Audiences;

/// <summary>
/// An audience condition written as text (<see cref="AudienceText"/>): its condition JSON, or (when <see cref="Json"/> is
/// null) every problem found, each at a column of the text.
/// </summary>
public sealed class TextCondition
{
    private readonly IReadOnlyDictionary<string, int> _columns;

    internal TextCondition(string? json, IReadOnlyList<TextProblem> problems, IReadOnlyDictionary<string, int> columns)
    {
        Json = json;
        Problems = problems;
        _columns = columns;
    }

    /// <summary>The condition JSON, the value of an audience definition's <c>condition</c>.</summary>
    public string? Json { get; }

    public IReadOnlyList<TextProblem> Problems { get; }

    public bool IsValid => Json is not null;

    /// <summary>
    /// Places a problem found later in the definition <c>{"condition": Json}</c> (e.g. an unknown audience in a workspace)
    /// at the column of the text its JSON pointer came from: the nearest enclosing node that was written, else column 1.
    /// </summary>
    public TextProblem Locate(DefinitionProblem problem)
    {
        for (var path = problem.Path; path.Length > 0; path = path[..path.LastIndexOf('/')])
        {
            if (_columns.TryGetValue(path, out var column))
            {
                return new TextProblem(column, problem.Message);
            }
        }

        return new TextProblem(1, problem.Message);
    }
}
