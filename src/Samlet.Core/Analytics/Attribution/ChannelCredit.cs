namespace Samlet.Analytics.Attribution;

/// <summary>Conversions and conversion value one model attributes to one channel.</summary>
public sealed record ChannelCredit(string Channel, double Conversions, double ConversionValue);
