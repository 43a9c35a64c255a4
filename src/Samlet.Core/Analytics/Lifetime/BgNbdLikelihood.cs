using MathNet.Numerics;

namespace Samlet.Analytics.Lifetime;

/// <summary>
/// Log-likelihood of the BG/NBD model (Fader, Hardie &amp; Lee 2005) and its gradient in (r, α, a, b), summed over
/// weighted (x, tx, T) triples. Per customer, in log space:
/// ln L = lnΓ(r+x) − lnΓ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
///        + ln[ (α+T)^−(r+x) + 1{x&gt;0} a/(b+x−1) (α+tx)^−(r+x) ].
/// Terms that depend on x alone are computed once per distinct x.
/// </summary>
internal sealed class BgNbdLikelihood(CompressedHistories data)
{
    // Scratch per evaluation (so one instance serves one search at a time): values per distinct x and per distinct time.
    private readonly double[] _logRatio = new double[data.DistinctX.Length];
    private readonly double[] _dbx = new double[data.DistinctX.Length];
    private double[] _logAlphaPlus = [];

    public CompressedHistories Data { get; } = data;

    /// <summary>Total log-likelihood; fills <paramref name="gradient"/> (length 4) when it is not empty.</summary>
    public double Evaluate(ReadOnlySpan<double> parameters, Span<double> gradient)
    {
        double r = parameters[0], alpha = parameters[1], a = parameters[2], b = parameters[3];
        var withGradient = !gradient.IsEmpty;
        var distinct = Data.DistinctX;
        var total = 0.0;
        double gr = 0, ga = 0, gb = 0;
        var lnAlpha = Math.Log(alpha);
        var lnGammaR = SpecialFunctions.GammaLn(r);
        var lnBetaAb = SpecialFunctions.GammaLn(a + b) - SpecialFunctions.GammaLn(b);
        var psiR = withGradient ? SpecialFunctions.DiGamma(r) : 0;
        var psiAb = withGradient ? SpecialFunctions.DiGamma(a + b) : 0;
        var psiB = withGradient ? SpecialFunctions.DiGamma(b) : 0;
        for (var s = 0; s < distinct.Length; s++)
        {
            var x = distinct[s];
            var constant = SpecialFunctions.GammaLn(r + x) - lnGammaR + lnBetaAb
                + SpecialFunctions.GammaLn(b + x) - SpecialFunctions.GammaLn(a + b + x);
            _logRatio[s] = x > 0 ? Math.Log(a / (b + x - 1)) : double.NegativeInfinity;
            var w = Data.SlotWeight[s];
            total += w * constant;
            if (withGradient)
            {
                var psiAbx = SpecialFunctions.DiGamma(a + b + x);
                gr += w * (SpecialFunctions.DiGamma(r + x) - psiR);
                ga += w * (psiAb - psiAbx);
                gb += w * (psiAb + SpecialFunctions.DiGamma(b + x) - psiB - psiAbx);
                _dbx[s] = x > 0 ? -1.0 / (b + x - 1) : 0;
            }
        }

        // ln(α + τ) once per distinct time, shared by all triples.
        var times = Data.Times;
        if (_logAlphaPlus.Length != times.Length)
        {
            _logAlphaPlus = new double[times.Length];
        }

        for (var k = 0; k < times.Length; k++)
        {
            _logAlphaPlus[k] = Math.Log(alpha + times[k]);
        }

        Span<double> sums = stackalloc double[6];
        ChunkedSums.Run(Data.Count, sums, (from, to, partial) => AddTriples(from, to, r, alpha, a, withGradient, partial));
        var totalWeight = sums[5];
        total += sums[0] + (totalWeight * r * lnAlpha);
        if (withGradient)
        {
            gradient[0] = gr + sums[1] + (totalWeight * lnAlpha);
            gradient[1] = sums[2] + (totalWeight * r / alpha);
            gradient[2] = ga + sums[3];
            gradient[3] = gb + sums[4];
        }

        return total;
    }

    /// <summary>Sums over triples [from, to): log-likelihood terms, ∂/∂r, ∂/∂α, ∂/∂a, ∂/∂b and the weight.</summary>
    private void AddTriples(int from, int to, double r, double alpha, double a, bool withGradient, Span<double> sums)
    {
        var xs = Data.X;
        var txs = Data.Tx;
        var ts = Data.T;
        var txTime = Data.TxTime;
        var tTime = Data.TTime;
        var logAlphaPlus = _logAlphaPlus;
        var weights = Data.Weight;
        var slots = Data.Slot;
        double total = 0, gr = 0, gAlpha = 0, ga = 0, gb = 0, totalWeight = 0;
        for (var i = from; i < to; i++)
        {
            var x = xs[i];
            var w = weights[i];
            var rx = r + x;
            var lnAlphaT = logAlphaPlus[tTime[i]];
            var l3 = -rx * lnAlphaT;
            double logSum;
            if (x > 0)
            {
                var lnAlphaTx = logAlphaPlus[txTime[i]];
                var l4 = _logRatio[slots[i]] - (rx * lnAlphaTx);
                // log(e^l3 + e^l4) = max + log(1 + e^−|l3 − l4|), without overflow or underflow.
                var ratio = Math.Exp(-Math.Abs(l3 - l4));
                logSum = Math.Max(l3, l4) + Math.Log(1 + ratio);
                if (withGradient)
                {
                    var w3 = l3 >= l4 ? 1 / (1 + ratio) : ratio / (1 + ratio);
                    var w4 = 1 - w3;
                    gr -= w * ((w3 * lnAlphaT) + (w4 * lnAlphaTx));
                    gAlpha -= w * rx * ((w3 / (alpha + ts[i])) + (w4 / (alpha + txs[i])));
                    ga += w * w4 / a;
                    gb += w * w4 * _dbx[slots[i]];
                }
            }
            else
            {
                logSum = l3;
                if (withGradient)
                {
                    gr -= w * lnAlphaT;
                    gAlpha -= w * rx / (alpha + ts[i]);
                }
            }

            total += w * logSum;
            totalWeight += w;
        }

        sums[0] += total;
        sums[1] += gr;
        sums[2] += gAlpha;
        sums[3] += ga;
        sums[4] += gb;
        sums[5] += totalWeight;
    }
}
