namespace Samlet.Demo;

/// <summary>
/// How often the generator plants bad data (documented in docs/demo-data.md). Event-level rates are
/// mutually exclusive per event; the e-mail rates apply per sign-up. All scale with <see cref="DemoOptions.BadDataScale"/>.
/// </summary>
internal sealed record BadDataRates(
    double PlaceholderId,
    double MissingIds,
    double TrackWithoutEvent,
    double DuplicateMessage,
    double MalformedLine,
    double InvalidEmail,
    double TestEmail)
{
    public static readonly BadDataRates Default = new(0.002, 0.0005, 0.0005, 0.003, 0.0001, 0.01, 0.005);

    public static BadDataRates Scaled(double scale) => new(
        Default.PlaceholderId * scale,
        Default.MissingIds * scale,
        Default.TrackWithoutEvent * scale,
        Default.DuplicateMessage * scale,
        Default.MalformedLine * scale,
        Default.InvalidEmail * scale,
        Default.TestEmail * scale);
}
