namespace Samlet.Analytics.Attribution;

/// <summary>Runs the rule-based models and the Markov model over the same paths.</summary>
public static class AttributionAnalysis
{
    /// <summary>The channel that blank channel names, and paths without any touch, are attributed to.</summary>
    public const string UnknownChannel = "(unknown)";

    public static AttributionReport Run(IReadOnlyList<ConversionPath> paths, AttributionOptions? options = null)
    {
        var input = PreparedPaths.Prepare(paths, options ?? new AttributionOptions());
        var credits = new Dictionary<AttributionModel, IReadOnlyList<ChannelCredit>>();
        foreach (var model in new[] { AttributionModel.FirstTouch, AttributionModel.LastTouch, AttributionModel.Linear, AttributionModel.TimeDecay, AttributionModel.PositionBased })
        {
            credits[model] = HeuristicAttribution.Attribute(input, model);
        }

        var markov = MarkovAttribution.Attribute(input);
        credits[AttributionModel.Markov] = [.. markov.Channels.Select(channel => new ChannelCredit(channel.Channel, channel.Conversions, channel.ConversionValue))];
        return new AttributionReport(
            input.Paths.Length, input.TotalConversions, input.TotalConversionValue, input.TotalNulls, input.Channels, credits, markov);
    }

    /// <summary>Only the Markov model.</summary>
    public static MarkovAttributionResult RunMarkov(IReadOnlyList<ConversionPath> paths) =>
        MarkovAttribution.Attribute(PreparedPaths.Prepare(paths, new AttributionOptions()));

    /// <summary>The snake_case name used in JSON and CSV output, e.g. "time_decay".</summary>
    public static string Name(AttributionModel model) => model switch
    {
        AttributionModel.FirstTouch => "first_touch",
        AttributionModel.LastTouch => "last_touch",
        AttributionModel.Linear => "linear",
        AttributionModel.TimeDecay => "time_decay",
        AttributionModel.PositionBased => "position_based",
        AttributionModel.Markov => "markov",
        _ => throw new ArgumentOutOfRangeException(nameof(model), model, null),
    };
}
