namespace Samlet.Demo;

/// <summary>Parameters of the synthetic web-shop data set. Equal options give byte-identical output.</summary>
public sealed record DemoOptions
{
    public const int DefaultCustomers = 10_000;
    public const int DefaultDays = 365;
    public const long DefaultSeed = 20_260_101;
    public const int MaxCustomers = 5_000_000;
    public const int MaxDays = 3650;

    /// <summary>The default window ends at the start of 2027-01-01 UTC, so it covers the calendar year 2026.</summary>
    public static readonly DateOnly DefaultEnd = new(2027, 1, 1);

    /// <summary>People who sign up during the window. As many anonymous visitors who never sign up come on top.</summary>
    public int Customers { get; init; } = DefaultCustomers;

    /// <summary>Length of the window in days; events fall in [End - Days, End].</summary>
    public int Days { get; init; } = DefaultDays;

    public long Seed { get; init; } = DefaultSeed;

    /// <summary>The window ends at midnight UTC at the start of this date.</summary>
    public DateOnly End { get; init; } = DefaultEnd;

    /// <summary>Multiplies every bad-data rate: 0 gives clean data, 1 the documented rates.</summary>
    public double BadDataScale { get; init; } = 1.0;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when an option is outside what the generator supports.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Customers, 1, nameof(Customers));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Customers, MaxCustomers, nameof(Customers));
        ArgumentOutOfRangeException.ThrowIfLessThan(Days, 1, nameof(Days));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Days, MaxDays, nameof(Days));
        ArgumentOutOfRangeException.ThrowIfLessThan(BadDataScale, 0.0, nameof(BadDataScale));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BadDataScale, 100.0, nameof(BadDataScale));
        if (End.Year < 1980 || End.Year > 9000)
        {
            throw new ArgumentOutOfRangeException(nameof(End), End, "End must be between 1980 and 9000.");
        }
    }
}
