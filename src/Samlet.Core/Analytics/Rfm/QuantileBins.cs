namespace Samlet.Analytics.Rfm;

/// <summary>Bin edges over a sample and the lookup of a value's bin.</summary>
internal static class QuantileBins
{
    /// <summary>Sample quantile of type 7 (R's default): linear interpolation between order statistics at (n-1)p.</summary>
    public static double Type7(double[] sorted, double probability)
    {
        var h = (sorted.Length - 1) * probability;
        var below = (int)Math.Floor(h);
        if (below >= sorted.Length - 1)
        {
            return sorted[^1];
        }

        return sorted[below] + ((h - below) * (sorted[below + 1] - sorted[below]));
    }

    public static RfmBinEdges Edges(double[] values, RfmBins bins)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        var inner = new double[bins.Count - 1];
        for (var k = 0; k < inner.Length; k++)
        {
            // rfm 0.3.0 shifts the quantile edges up by one so that a value equal to a quantile falls in the lower bin.
            inner[k] = bins.Thresholds is { } thresholds ? thresholds[k] : Type7(sorted, (k + 1.0) / bins.Count) + 1.0;
        }

        var lower = new double[bins.Count];
        var upper = new double[bins.Count];
        lower[0] = sorted[0];
        upper[^1] = sorted[^1] + 1.0;
        for (var k = 0; k < inner.Length; k++)
        {
            upper[k] = inner[k];
            lower[k + 1] = inner[k];
        }

        return new RfmBinEdges(lower, upper);
    }

    /// <summary>Zero-based bin of a value: the last bin whose half-open range [lower, upper) holds it.</summary>
    public static int BinOf(double value, RfmBinEdges edges)
    {
        for (var k = edges.Lower.Count - 1; k >= 0; k--)
        {
            if (value >= edges.Lower[k] && value < edges.Upper[k])
            {
                return k;
            }
        }

        // Only reachable with custom thresholds outside the data range: clamp to the nearest end.
        return value < edges.Lower[0] ? 0 : edges.Lower.Count - 1;
    }
}
