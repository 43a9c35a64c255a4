namespace Samlet.Analytics.Attribution;

/// <summary>The attribution models; the names in JSON and CSV output are the snake_case forms.</summary>
public enum AttributionModel
{
    FirstTouch,
    LastTouch,
    Linear,
    TimeDecay,
    PositionBased,
    Markov,
}
