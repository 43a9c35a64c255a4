namespace Samlet.Analytics.Attribution;

/// <summary>One estimated transition of the Markov chain. States that are not channels have the names below.</summary>
public sealed record MarkovTransition(string From, string To, double Probability)
{
    public const string StartState = "(start)";
    public const string ConversionState = "(conversion)";
    public const string NullState = "(null)";
}
