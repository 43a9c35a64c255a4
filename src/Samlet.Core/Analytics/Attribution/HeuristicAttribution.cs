namespace Samlet.Analytics.Attribution;

/// <summary>
/// Rule-based models: each path's conversions and value are split over its touches by fixed weights that sum to 1,
/// so every model attributes exactly the total. Repeated touches of one channel each count (a path "a > a > b" gives
/// linear credit 2/3 to a); only the Markov model collapses repeats.
/// </summary>
internal static class HeuristicAttribution
{
    public static IReadOnlyList<ChannelCredit> Attribute(PreparedPaths input, AttributionModel model)
    {
        var conversions = new double[input.Channels.Length];
        var values = new double[input.Channels.Length];
        foreach (var path in input.Paths)
        {
            if (path.Conversions == 0 && path.ConversionValue == 0)
            {
                continue;
            }

            var weights = Weights(path, model);
            for (var i = 0; i < weights.Length; i++)
            {
                conversions[path.Touches[i]] += path.Conversions * weights[i];
                values[path.Touches[i]] += path.ConversionValue * weights[i];
            }
        }

        return [.. input.Channels.Select((channel, i) => new ChannelCredit(channel, conversions[i], values[i]))];
    }

    /// <summary>Share of the path's conversion given to each touch.</summary>
    internal static double[] Weights(PreparedPath path, AttributionModel model)
    {
        var n = path.Touches.Length;
        var weights = new double[n];
        switch (model)
        {
            case AttributionModel.FirstTouch:
                weights[0] = 1;
                break;
            case AttributionModel.LastTouch:
                weights[n - 1] = 1;
                break;
            case AttributionModel.Linear:
                Array.Fill(weights, 1.0 / n);
                break;
            case AttributionModel.TimeDecay:
                // Weight 2^(-age in half-lives), normalised; shifting by the youngest age keeps the largest weight at 1
                // so long paths cannot underflow to all zeros.
                var youngest = path.AgesInHalfLives.Min();
                for (var i = 0; i < n; i++)
                {
                    weights[i] = Math.Pow(2, -(path.AgesInHalfLives[i] - youngest));
                }

                var sum = weights.Sum();
                for (var i = 0; i < n; i++)
                {
                    weights[i] /= sum;
                }

                break;
            case AttributionModel.PositionBased:
                PositionBased(weights);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(model), model, "Not a rule-based model.");
        }

        return weights;
    }

    /// <summary>40% to the first touch, 40% to the last, 20% shared by the middle; 50/50 for two touches, all for one.</summary>
    private static void PositionBased(double[] weights)
    {
        var n = weights.Length;
        if (n == 1)
        {
            weights[0] = 1;
            return;
        }

        if (n == 2)
        {
            weights[0] = weights[1] = 0.5;
            return;
        }

        weights[0] = weights[n - 1] = 0.4;
        for (var i = 1; i < n - 1; i++)
        {
            weights[i] = 0.2 / (n - 2);
        }
    }
}
