using MathNet.Numerics;

namespace Samlet.Analytics.Lifetime;

/// <summary>
/// Log-likelihood of the Gamma-Gamma spend model (Fader &amp; Hardie 2013) and its gradient in (p, q, γ): for a
/// customer with x repeat purchases of mean value m,
/// ln f(m) = lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln γ + (px−1) ln m + px ln x − (px+q) ln(γ + x m).
/// Gamma terms depend on x alone and are computed once per distinct x.
/// </summary>
internal sealed class GammaGammaLikelihood
{
    private readonly int[] _x;
    private readonly double[] _spend;
    private readonly int[] _distinctX;
    private readonly double[] _slotWeight;
    private readonly double[] _slotLogSpend;

    public GammaGammaLikelihood(int[] x, double[] spend)
    {
        _x = x;
        _spend = spend;
        var slot = new int[x.Length];
        var slots = new Dictionary<int, int>();
        var distinct = new List<int>();
        for (var i = 0; i < x.Length; i++)
        {
            if (!slots.TryGetValue(x[i], out var s))
            {
                s = distinct.Count;
                slots.Add(x[i], s);
                distinct.Add(x[i]);
            }

            slot[i] = s;
        }

        _distinctX = [.. distinct];
        _slotWeight = new double[_distinctX.Length];
        _slotLogSpend = new double[_distinctX.Length];
        for (var i = 0; i < x.Length; i++)
        {
            _slotWeight[slot[i]]++;
            _slotLogSpend[slot[i]] += Math.Log(spend[i]);
        }
    }

    public double Evaluate(ReadOnlySpan<double> parameters, Span<double> gradient)
    {
        double p = parameters[0], q = parameters[1], gamma = parameters[2];
        var withGradient = !gradient.IsEmpty;
        double total = 0, gp = 0, gq = 0, gGamma = 0;
        var lnGammaQ = SpecialFunctions.GammaLn(q);
        var psiQ = withGradient ? SpecialFunctions.DiGamma(q) : 0;
        var lnGamma = Math.Log(gamma);
        for (var k = 0; k < _distinctX.Length; k++)
        {
            var x = _distinctX[k];
            var px = p * x;
            var lnX = Math.Log(x);
            var w = _slotWeight[k];
            // Everything but the −(px+q) ln(γ + x m) term, summed over the customers sharing this x.
            total += (w * (SpecialFunctions.GammaLn(px + q) - SpecialFunctions.GammaLn(px) - lnGammaQ + (q * lnGamma) + (px * lnX)))
                + ((px - 1) * _slotLogSpend[k]);
            if (withGradient)
            {
                var psiPxQ = SpecialFunctions.DiGamma(px + q);
                gp += x * ((w * (psiPxQ - SpecialFunctions.DiGamma(px) + lnX)) + _slotLogSpend[k]);
                gq += w * (psiPxQ - psiQ + lnGamma);
                gGamma += w * q / gamma;
            }
        }

        Span<double> sums = stackalloc double[4];
        ChunkedSums.Run(_x.Length, sums, (from, to, partial) => AddCustomers(from, to, p, q, gamma, withGradient, partial));
        total += sums[0];
        if (withGradient)
        {
            gradient[0] = gp + sums[1];
            gradient[1] = gq + sums[2];
            gradient[2] = gGamma + sums[3];
        }

        return total;
    }

    /// <summary>Sums over customers [from, to) of the −(px+q) ln(γ + x m) term and its derivatives in p, q and γ.</summary>
    private void AddCustomers(int from, int to, double p, double q, double gamma, bool withGradient, Span<double> sums)
    {
        double total = 0, gp = 0, gq = 0, gGamma = 0;
        for (var i = from; i < to; i++)
        {
            var x = _x[i];
            var lnScale = Math.Log(gamma + (x * _spend[i]));
            var shape = (p * x) + q;
            total -= shape * lnScale;
            if (withGradient)
            {
                gp -= x * lnScale;
                gq -= lnScale;
                gGamma -= shape / (gamma + (x * _spend[i]));
            }
        }

        sums[0] += total;
        sums[1] += gp;
        sums[2] += gq;
        sums[3] += gGamma;
    }
}
