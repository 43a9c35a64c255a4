namespace Samlet.Demo;

/// <summary>One browser or app install of a customer: its own anonymousId, login and consent state.</summary>
internal sealed class Device
{
    private static readonly string[] _desktopAgents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Safari/605.1.15",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:144.0) Gecko/20100101 Firefox/144.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36 Edg/141.0.0.0",
    ];

    private static readonly string[] _mobileAgents =
    [
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 15; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/28.0 Chrome/130.0.0.0 Mobile Safari/537.36",
    ];

    private static readonly (string Model, string Os)[] _iphones =
        [("iPhone14,5", "17.6.1"), ("iPhone15,2", "18.5"), ("iPhone15,4", "18.6"), ("iPhone16,1", "26.0"), ("iPhone17,3", "26.0.1")];

    private static readonly (string Manufacturer, string Model, string Os)[] _androids =
        [("Google", "Pixel 8", "15"), ("Google", "Pixel 7a", "14"), ("samsung", "SM-S921B", "15"), ("samsung", "SM-A546B", "14"), ("OnePlus", "CPH2581", "15")];

    private Device(DeviceKind kind, string anonymousId, string ip) => (Kind, AnonymousId, Ip) = (kind, anonymousId, ip);

    public DeviceKind Kind { get; }

    public bool IsApp => Kind is DeviceKind.Ios or DeviceKind.Android;

    /// <summary>Changes when a browser's cookies are cleared.</summary>
    public string AnonymousId { get; set; }

    public string Ip { get; }

    public string? UserAgent { get; private init; }

    public string? DeviceId { get; private init; }

    public string? AdvertisingId { get; private init; }

    public string? Manufacturer { get; private init; }

    public string? Model { get; private init; }

    public string? OsVersion { get; private init; }

    /// <summary>First moment the customer may use this device.</summary>
    public long AvailableFromMs { get; init; }

    public bool LoggedIn { get; set; }

    public bool Installed { get; set; }

    /// <summary>The cookie-banner answer stored on this device; null until given (or after cookies are cleared).</summary>
    public ConsentChoice? Consent { get; set; }

    public static Device Web(DemoRandom rng, bool mobile, long availableFromMs) =>
        new(mobile ? DeviceKind.MobileWeb : DeviceKind.DesktopWeb, rng.NextUuid(), RandomIp(rng, mobile))
        {
            UserAgent = rng.Pick(mobile ? _mobileAgents : _desktopAgents),
            AvailableFromMs = availableFromMs,
        };

    public static Device App(DemoRandom rng, bool ios, long availableFromMs)
    {
        var anonymousId = rng.NextUuid();
        var deviceId = rng.NextUuid();
        // Without App Tracking consent iOS reports no IDFA; some Android users reset theirs away too.
        var advertisingId = rng.Chance(ios ? 0.35 : 0.75) ? rng.NextUuid() : null;
        if (ios)
        {
            var (model, os) = rng.Pick(_iphones);
            return new Device(DeviceKind.Ios, anonymousId, RandomIp(rng, true))
            {
                DeviceId = deviceId.ToUpperInvariant(),
                AdvertisingId = advertisingId?.ToUpperInvariant(),
                Manufacturer = "Apple",
                Model = model,
                OsVersion = os,
                AvailableFromMs = availableFromMs,
            };
        }

        var (manufacturer, androidModel, androidOs) = rng.Pick(_androids);
        return new Device(DeviceKind.Android, anonymousId, RandomIp(rng, true))
        {
            DeviceId = rng.NextHex(16),
            AdvertisingId = advertisingId,
            Manufacturer = manufacturer,
            Model = androidModel,
            OsVersion = androidOs,
            AvailableFromMs = availableFromMs,
        };
    }

    /// <summary>Addresses from ranges that route to nobody: carrier-grade NAT space and the documentation blocks.</summary>
    private static string RandomIp(DemoRandom rng, bool mobile)
    {
        if (!mobile && rng.Chance(0.15))
        {
            return $"2001:db8:{rng.NextHex(4)}:{rng.NextHex(4)}::{rng.NextHex(3)}";
        }

        if (mobile || rng.Chance(0.6))
        {
            return $"100.{64 + rng.Next(64)}.{rng.Next(256)}.{rng.Next(1, 255)}";
        }

        return rng.Next(3) switch
        {
            0 => $"192.0.2.{rng.Next(1, 255)}",
            1 => $"198.51.100.{rng.Next(1, 255)}",
            _ => $"203.0.113.{rng.Next(1, 255)}",
        };
    }
}
