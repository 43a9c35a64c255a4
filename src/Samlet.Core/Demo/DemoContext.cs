namespace Samlet.Demo;

/// <summary>What every customer of one generation run shares: the window, the calendar, the companies, the bad-data rates.</summary>
internal sealed class DemoContext
{
    /// <summary>Random streams are keyed by purpose so adding one never shifts another.</summary>
    public const ulong CustomerStream = 1;
    public const ulong CompanyStream = 2;

    public DemoContext(DemoOptions options)
    {
        Options = options;
        EndMs = (long)(options.End.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalMilliseconds;
        StartMs = EndMs - (options.Days * 86_400_000L);
        Calendar = new ActivityCalendar(StartMs, EndMs);
        BadData = BadDataRates.Scaled(options.BadDataScale);
        var companies = Math.Max(3, options.Customers / 100);
        Companies = [.. Enumerable.Range(0, companies).Select(i => Company.Create(DemoRandom.For(options.Seed, CompanyStream, i), i))];
    }

    public DemoOptions Options { get; }

    public long StartMs { get; }

    public long EndMs { get; }

    public ActivityCalendar Calendar { get; }

    public BadDataRates BadData { get; }

    public IReadOnlyList<Company> Companies { get; }

    public Catalog Catalog => Catalog.Instance;
}
