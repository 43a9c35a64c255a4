using MathNet.Numerics.LinearAlgebra;

namespace Samlet.Analytics.Attribution;

/// <summary>
/// First-order Markov-chain attribution with removal effects, computed exactly. Each path, with adjacent repeats of
/// a channel collapsed, contributes its journeys (conversions + nulls) as transition counts
/// start → c1 → … → cm, then cm → conversion (conversions) and cm → null (nulls). With Q the transition
/// probabilities among the transient states (start and channels) and b the one-step probabilities of conversion,
/// the absorption probabilities x solve (I − Q) x = b; P(conversion) is x[start]. Removing a channel sends every
/// journey that reaches it to null: its row of Q and its b are set to zero and the system is solved again.
/// Conversion value uses the same chain with reward r[s] = (value converted straight from s) / (journeys leaving s);
/// (I − Q) y = r gives the expected value per journey.
/// </summary>
internal static class MarkovAttribution
{
    public static MarkovAttributionResult Attribute(PreparedPaths input)
    {
        var k = input.Channels.Length;
        var states = k + 1; // 0 = start, 1..k = channels
        var counts = new double[states, states];
        var outgoing = new double[states];
        var toConversion = new double[states];
        var toNull = new double[states];
        var valueFrom = new double[states];

        foreach (var path in input.Paths)
        {
            var journeys = path.Conversions + path.Nulls;
            if (journeys == 0)
            {
                continue;
            }

            var from = 0;
            foreach (var channel in path.Touches)
            {
                var to = channel + 1;
                if (to == from)
                {
                    continue;
                }

                counts[from, to] += journeys;
                outgoing[from] += journeys;
                from = to;
            }

            toConversion[from] += path.Conversions;
            toNull[from] += path.Nulls;
            valueFrom[from] += path.ConversionValue;
            outgoing[from] += journeys;
        }

        var q = Matrix<double>.Build.Dense(states, states);
        var b = Vector<double>.Build.Dense(states);
        var r = Vector<double>.Build.Dense(states);
        for (var s = 0; s < states; s++)
        {
            if (outgoing[s] == 0)
            {
                continue; // never left (no journeys): absorbed in null, contributes nothing
            }

            for (var t = 0; t < states; t++)
            {
                q[s, t] = counts[s, t] / outgoing[s];
            }

            b[s] = toConversion[s] / outgoing[s];
            r[s] = valueFrom[s] / outgoing[s];
        }

        var (probability, value) = Solve(q, b, r, removed: -1);
        var removal = new double[k];
        var valueRemoval = new double[k];
        for (var c = 0; c < k; c++)
        {
            var (without, valueWithout) = Solve(q, b, r, removed: c + 1);
            removal[c] = probability > 0 ? Math.Clamp(1 - (without / probability), 0, 1) : 0;
            valueRemoval[c] = value > 0 ? Math.Clamp(1 - (valueWithout / value), 0, 1) : 0;
        }

        var removalSum = removal.Sum();
        var valueRemovalSum = valueRemoval.Sum();
        var channels = new MarkovChannelResult[k];
        for (var c = 0; c < k; c++)
        {
            channels[c] = new MarkovChannelResult(
                input.Channels[c],
                removal[c],
                valueRemoval[c],
                removalSum > 0 ? input.TotalConversions * removal[c] / removalSum : 0,
                valueRemovalSum > 0 ? input.TotalConversionValue * valueRemoval[c] / valueRemovalSum : 0);
        }

        return new MarkovAttributionResult(probability, value, channels, Transitions(input.Channels, counts, outgoing, toConversion, toNull));
    }

    private static List<MarkovTransition> Transitions(string[] channels, double[,] counts, double[] outgoing, double[] toConversion, double[] toNull)
    {
        var transitions = new List<MarkovTransition>();
        for (var s = 0; s < outgoing.Length; s++)
        {
            if (outgoing[s] == 0)
            {
                continue;
            }

            var from = s == 0 ? MarkovTransition.StartState : channels[s - 1];
            for (var t = 1; t < outgoing.Length; t++)
            {
                if (counts[s, t] > 0)
                {
                    transitions.Add(new MarkovTransition(from, channels[t - 1], counts[s, t] / outgoing[s]));
                }
            }

            if (toConversion[s] > 0)
            {
                transitions.Add(new MarkovTransition(from, MarkovTransition.ConversionState, toConversion[s] / outgoing[s]));
            }

            if (toNull[s] > 0)
            {
                transitions.Add(new MarkovTransition(from, MarkovTransition.NullState, toNull[s] / outgoing[s]));
            }
        }

        return transitions;
    }

    /// <summary>Conversion probability and expected value from the start, with state <paramref name="removed"/> (if ≥ 0) leading to null.</summary>
    private static (double Probability, double Value) Solve(Matrix<double> q, Vector<double> b, Vector<double> r, int removed)
    {
        var system = Matrix<double>.Build.DenseIdentity(q.RowCount) - q;
        var conversion = b.Clone();
        var reward = r.Clone();
        if (removed >= 0)
        {
            system.ClearRow(removed);
            system[removed, removed] = 1;
            conversion[removed] = 0;
            reward[removed] = 0;
        }

        // Every state with journeys reaches an absorbing state with positive probability, so I − Q is invertible.
        var lu = system.LU();
        return (lu.Solve(conversion)[0], lu.Solve(reward)[0]);
    }
}
