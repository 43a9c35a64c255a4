namespace Samlet.Analytics.Attribution;

/// <summary>One path: channel indexes in touch order and its weights.</summary>
internal sealed record PreparedPath(int[] Touches, double Conversions, double ConversionValue, double Nulls, double[] AgesInHalfLives);
