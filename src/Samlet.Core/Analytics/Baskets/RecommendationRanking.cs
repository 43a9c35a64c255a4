namespace Samlet.Analytics.Baskets;

/// <summary>Which measure of the best applicable rule ranks a recommended item.</summary>
public enum RecommendationRanking
{
    /// <summary>Highest confidence first; ties by lift, then support.</summary>
    Confidence,

    /// <summary>Highest lift first; ties by confidence, then support.</summary>
    Lift,
}
