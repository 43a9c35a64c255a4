namespace Samlet.Analytics.Attribution;

/// <summary>One channel in the Markov model.</summary>
/// <param name="Channel">The channel name.</param>
/// <param name="RemovalEffect">1 − P(conversion without the channel) / P(conversion): the share of conversion probability lost when the channel is removed.</param>
/// <param name="ValueRemovalEffect">The same for the expected conversion value per journey.</param>
/// <param name="Conversions">Total conversions × this channel's share of the summed removal effects.</param>
/// <param name="ConversionValue">Total value × this channel's share of the summed value removal effects.</param>
public sealed record MarkovChannelResult(string Channel, double RemovalEffect, double ValueRemovalEffect, double Conversions, double ConversionValue);
