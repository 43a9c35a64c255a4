using MathNet.Numerics;

namespace Samlet.Analytics.Lifetime;

/// <summary>
/// Log-likelihood of the Pareto/NBD model (Schmittlein, Morrison &amp; Colombo 1987), in the form of Fader, Hardie &amp;
/// Lee's note on deriving it: L = Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^−(r+x) (β+T)^−s + s/(r+s+x) · A0 ], where A0 is
/// the difference at τ = tx and τ = T of 2F1(r+s+x, s+1; r+s+x+1; (α−β)/(α+τ)) / (α+τ)^(r+s+x) when α ≥ β, or of
/// 2F1(r+s+x, r+x; r+s+x+1; (β−α)/(β+τ)) / (β+τ)^(r+s+x) when α &lt; β. Choosing the case keeps the argument in
/// [0, 1); Euler's transformation then leaves a series 2F1(1, ·; r+s+x+1; z) with small parameters.
/// </summary>
internal sealed class ParetoNbdLikelihood(CompressedHistories data)
{
    public CompressedHistories Data { get; } = data;

    public double Evaluate(ReadOnlySpan<double> parameters)
    {
        double r = parameters[0], alpha = parameters[1], s = parameters[2], beta = parameters[3];
        var total = 0.0;
        var lnGammaR = SpecialFunctions.GammaLn(r);
        for (var k = 0; k < Data.DistinctX.Length; k++)
        {
            total += Data.SlotWeight[k] * (SpecialFunctions.GammaLn(r + Data.DistinctX[k]) - lnGammaR);
        }

        var weight = 0.0;
        for (var i = 0; i < Data.Count; i++)
        {
            total += Data.Weight[i] * LogBracket(r, alpha, s, beta, Data.X[i], Data.Tx[i], Data.T[i], out _);
            weight += Data.Weight[i];
        }

        return total + (weight * ((r * Math.Log(alpha)) + (s * Math.Log(beta))));
    }

    /// <summary>
    /// ln[ (α+T)^−(r+x)(β+T)^−s + s/(r+s+x) A0 ] and, as a by-product, P(alive) = (α+T)^−(r+x)(β+T)^−s / [ ... ].
    /// </summary>
    public static double LogBracket(double r, double alpha, double s, double beta, int x, double tx, double age, out double probabilityAlive)
    {
        var rx = r + x;
        var share = s / (rx + s);
        var logAtT = -(rx * Math.Log(alpha + age)) - (s * Math.Log(beta + age));
        var logAtTx = -(rx * Math.Log(alpha + tx)) - (s * Math.Log(beta + tx));
        var fT = TailFactor(r, alpha, s, beta, x, age);
        var fTx = tx == age ? fT : TailFactor(r, alpha, s, beta, x, tx);
        // bracket = P(tx) [ share F(tx) + (1 − share F(T)) e^−Δ ] with Δ = ln P(tx) − ln P(T) ≥ 0.
        var shrink = Math.Exp(logAtT - logAtTx);
        var inner = (share * fTx) + (Math.Max(0, 1 - (share * fT)) * shrink);
        probabilityAlive = Math.Min(1, shrink / inner);
        return logAtTx + Math.Log(inner);
    }

    /// <summary>
    /// s ∫_τ^∞ (α+u)^−(r+x) (β+u)^−(s+1) du = share · P(τ) · F(τ), with P(τ) = (α+τ)^−(r+x) (β+τ)^−s; returns F(τ).
    /// </summary>
    private static double TailFactor(double r, double alpha, double s, double beta, int x, double tau)
    {
        var c = r + s + x + 1;
        if (alpha >= beta)
        {
            return GaussHypergeometric.Value(1, r + x, c, (alpha - beta) / (alpha + tau));
        }

        return (alpha + tau) / (beta + tau) * GaussHypergeometric.Value(1, s + 1, c, (beta - alpha) / (beta + tau));
    }
}
