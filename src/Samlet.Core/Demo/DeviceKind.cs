namespace Samlet.Demo;

/// <summary>Where a session happens: a browser (analytics.js) or the shop's app (analytics-swift / analytics-kotlin).</summary>
internal enum DeviceKind
{
    DesktopWeb,
    MobileWeb,
    Ios,
    Android,
}
