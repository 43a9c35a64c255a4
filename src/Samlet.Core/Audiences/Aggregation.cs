namespace Samlet.Audiences;

/// <summary>What an aggregate computes over the events its filter lets through.</summary>
public enum Aggregation
{
    Count,
    Sum,
    Min,
    Max,
    Average,
    First,
    Last,
    MostFrequent,
    DistinctValues,
    DistinctCount,
}
