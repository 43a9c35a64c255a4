namespace Samlet.Analytics.Attribution;

/// <summary>Settings of the time-decay model (the only model with parameters).</summary>
public sealed record AttributionOptions
{
    /// <summary>Half-life for paths with touch times: a touch this long before the conversion weighs half as much as one at the conversion.</summary>
    public TimeSpan HalfLife { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Half-life in touches for paths without times, where the last touch is at age 0, the one before at age 1, and so
    /// on. With the default of 1, each touch weighs half as much as the next one.
    /// </summary>
    public double HalfLifeInTouches { get; init; } = 1;

    internal void Validate()
    {
        if (HalfLife <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(HalfLife), HalfLife, "The time-decay half-life must be positive.");
        }

        if (!(HalfLifeInTouches > 0) || double.IsInfinity(HalfLifeInTouches))
        {
            throw new ArgumentOutOfRangeException(nameof(HalfLifeInTouches), HalfLifeInTouches, "The time-decay half-life in touches must be a positive number.");
        }
    }
}
