namespace Samlet.Analytics.Lifetime;

/// <summary>The unit in which recency, age and horizons are measured; weeks are days / 7, not rounded.</summary>
public enum TimeUnit
{
    Days,
    Weeks,
}
