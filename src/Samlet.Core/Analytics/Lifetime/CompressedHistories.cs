namespace Samlet.Analytics.Lifetime;

/// <summary>
/// Distinct (x, tx, T) triples with the number of customers sharing each, plus the distinct values of x, so that
/// likelihoods and predictions are computed once per triple and terms depending only on x once per value of x.
/// </summary>
internal sealed class CompressedHistories
{
    private CompressedHistories(
        int[] x, double[] tx, double[] t, double[] weight, int[] slot, int[] distinctX, double[] slotWeight, int[] customerToTriple)
    {
        X = x;
        Tx = tx;
        T = t;
        Weight = weight;
        Slot = slot;
        DistinctX = distinctX;
        SlotWeight = slotWeight;
        CustomerToTriple = customerToTriple;
        (Times, TxTime, TTime) = IndexTimes(tx, t);
    }

    public int Count => X.Length;

    public int[] X { get; }

    public double[] Tx { get; }

    public double[] T { get; }

    /// <summary>Customers sharing the triple.</summary>
    public double[] Weight { get; }

    /// <summary>Index of the triple's x in <see cref="DistinctX"/>.</summary>
    public int[] Slot { get; }

    public int[] DistinctX { get; }

    /// <summary>Customers per distinct x.</summary>
    public double[] SlotWeight { get; }

    /// <summary>For each customer of the source summary, the index of its triple.</summary>
    public int[] CustomerToTriple { get; }

    /// <summary>Distinct values of tx and T together; with daily data a few hundred, so ln(α + time) is cheap.</summary>
    public double[] Times { get; }

    /// <summary>Index of each triple's tx in <see cref="Times"/>.</summary>
    public int[] TxTime { get; }

    /// <summary>Index of each triple's T in <see cref="Times"/>.</summary>
    public int[] TTime { get; }

    public static CompressedHistories From(CalibrationSummary summary) => From(summary.X, summary.Tx, summary.T);

    public static CompressedHistories From(int[] x, double[] tx, double[] t)
    {
        var n = x.Length;
        var triples = new Dictionary<(int, double, double), int>();
        var map = new int[n];
        var ux = new List<int>();
        var utx = new List<double>();
        var ut = new List<double>();
        var weight = new List<double>();
        for (var i = 0; i < n; i++)
        {
            var key = (x[i], tx[i], t[i]);
            if (!triples.TryGetValue(key, out var k))
            {
                k = ux.Count;
                triples.Add(key, k);
                ux.Add(x[i]);
                utx.Add(tx[i]);
                ut.Add(t[i]);
                weight.Add(0);
            }

            weight[k]++;
            map[i] = k;
        }

        var slots = new Dictionary<int, int>();
        var distinct = new List<int>();
        var slotWeight = new List<double>();
        var slot = new int[ux.Count];
        for (var k = 0; k < ux.Count; k++)
        {
            if (!slots.TryGetValue(ux[k], out var s))
            {
                s = distinct.Count;
                slots.Add(ux[k], s);
                distinct.Add(ux[k]);
                slotWeight.Add(0);
            }

            slot[k] = s;
            slotWeight[s] += weight[k];
        }

        return new CompressedHistories([.. ux], [.. utx], [.. ut], [.. weight], slot, [.. distinct], [.. slotWeight], map);
    }

    private static (double[] Times, int[] TxTime, int[] TTime) IndexTimes(double[] tx, double[] t)
    {
        var index = new Dictionary<double, int>();
        var times = new List<double>();
        int IndexOf(double time)
        {
            if (!index.TryGetValue(time, out var k))
            {
                k = times.Count;
                index.Add(time, k);
                times.Add(time);
            }

            return k;
        }

        var txTime = Array.ConvertAll(tx, IndexOf);
        var tTime = Array.ConvertAll(t, IndexOf);
        return ([.. times], txTime, tTime);
    }
}
