namespace Samlet.Demo;

/// <summary>A cookie-banner answer; "necessary" is always granted.</summary>
internal readonly record struct ConsentChoice(bool Analytics, bool Marketing, bool Personalization)
{
    public static ConsentChoice Draw(DemoRandom rng)
    {
        var u = rng.NextDouble();
        return u switch
        {
            < 0.5 => new ConsentChoice(true, true, true),
            < 0.65 => new ConsentChoice(false, false, false),
            _ => new ConsentChoice(rng.Chance(0.7), rng.Chance(0.4), rng.Chance(0.5)),
        };
    }
}
