namespace Samlet.Analytics.Rfm;

/// <summary>A named segment: customers whose three scores all fall in the ranges. The first matching rule wins.</summary>
public sealed record RfmSegmentRule(string Name, ScoreRange Recency, ScoreRange Frequency, ScoreRange Monetary)
{
    /// <summary>The segments of the R package rfm 0.3.0 documentation, in matching order.</summary>
    public static IReadOnlyList<RfmSegmentRule> Defaults { get; } =
    [
        new("Champions", new(5, 5), new(5, 5), new(5, 5)),
        new("Potential Loyalist", new(3, 5), new(3, 5), new(2, 5)),
        new("Loyal Customers", new(2, 4), new(2, 4), new(2, 4)),
        new("Promising", new(3, 4), new(1, 3), new(3, 5)),
        new("New Customers", new(4, 5), new(1, 3), new(1, 5)),
        new("Can't Lose Them", new(1, 2), new(3, 4), new(4, 5)),
        new("At Risk", new(1, 2), new(2, 5), new(4, 5)),
        new("Need Attention", new(1, 3), new(3, 5), new(3, 5)),
        new("About To Sleep", new(2, 3), new(1, 3), new(1, 4)),
        new("Lost", new(1, 1), new(1, 5), new(1, 5)),
    ];

    public bool Matches(int recency, int frequency, int monetary) =>
        Recency.Contains(recency) && Frequency.Contains(frequency) && Monetary.Contains(monetary);
}
