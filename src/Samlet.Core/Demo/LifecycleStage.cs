namespace Samlet.Demo;

/// <summary>Where a person is in the BG/NBD-like lifecycle.</summary>
internal enum LifecycleStage
{
    /// <summary>Anonymous visitor, not signed up.</summary>
    Prospect,

    /// <summary>Signed up, no order yet.</summary>
    Registered,

    /// <summary>First order placed: Poisson purchases, geometric dropout after each repeat order.</summary>
    Active,

    /// <summary>Gone for good: no more events.</summary>
    Churned,
}
