namespace Samlet.Analytics.Rfm;

/// <summary>An inclusive range of scores, e.g. 3–5.</summary>
public readonly record struct ScoreRange(int Min, int Max)
{
    public bool Contains(int score) => score >= Min && score <= Max;
}
