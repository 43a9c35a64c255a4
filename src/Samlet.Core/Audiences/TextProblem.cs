namespace Samlet.Audiences;

/// <summary>What is wrong with an audience condition written as text: <see cref="Column"/> is 1-based.</summary>
public sealed record TextProblem(int Column, string Message)
{
    public override string ToString() => $"column {Column}: {Message}";
}
