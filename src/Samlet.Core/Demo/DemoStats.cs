namespace Samlet.Demo;

/// <summary>Progress of a write: lines and bytes so far, and how far through the window the clock is (0..1).</summary>
public readonly record struct DemoStats(long Events, long Bytes, double Fraction);
