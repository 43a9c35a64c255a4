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
    // Enough for any sensible parameters; beyond it (extreme values met while searching) quadrature takes over.
    private const int TermBudget = 20_000;
    private const int QuadratureSteps = 2_000;

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

        Span<double> sums = stackalloc double[2];
        ChunkedSums.Run(Data.Count, sums, (from, to, partial) =>
        {
            for (var i = from; i < to; i++)
            {
                partial[0] += Data.Weight[i] * LogBracket(r, alpha, s, beta, Data.X[i], Data.Tx[i], Data.T[i], out _);
                partial[1] += Data.Weight[i];
            }
        });

        return total + sums[0] + (sums[1] * ((r * Math.Log(alpha)) + (s * Math.Log(beta))));
    }

    /// <summary>
    /// ln[ (α+T)^−(r+x)(β+T)^−s + s/(r+s+x) A0 ] and, as a by-product, P(alive) = (α+T)^−(r+x)(β+T)^−s / [ ... ].
    /// </summary>
    public static double LogBracket(double r, double alpha, double s, double beta, int x, double tx, double age, out double probabilityAlive)
    {
        var rx = r + x;
        var share = s / (rx + s);
        var logAtT = LogActive(rx, alpha, s, beta, age);
        var logAtTx = LogActive(rx, alpha, s, beta, tx);
        var shrink = Math.Exp(logAtT - logAtTx);
        var fT = TailFactor(r, alpha, s, beta, x, age);
        var fTx = tx == age ? fT : TailFactor(r, alpha, s, beta, x, tx);
        // bracket = P(tx) [ share F(tx) + (1 − share F(T)) e^−Δ ] with P(τ) = (α+τ)^−(r+x) (β+τ)^−s, Δ = ln P(tx) − ln P(T) ≥ 0.
        var inner = double.IsFinite(fT) && double.IsFinite(fTx)
            ? (share * fTx) + (Math.Max(0, 1 - (share * fT)) * shrink)
            : shrink + (s * IntegralOverDeathTime(rx, alpha, s, beta, tx, age, logAtTx));
        probabilityAlive = Math.Min(1, shrink / inner);
        return logAtTx + Math.Log(inner);
    }

    private static double LogActive(double rx, double alpha, double s, double beta, double tau) =>
        -(rx * Math.Log(alpha + tau)) - (s * Math.Log(beta + tau));

    /// <summary>
    /// s ∫_τ^∞ (α+u)^−(r+x) (β+u)^−(s+1) du = share · P(τ) · F(τ); returns F(τ), or NaN when the series would need
    /// more than the term budget.
    /// </summary>
    private static double TailFactor(double r, double alpha, double s, double beta, int x, double tau)
    {
        var c = r + s + x + 1;
        if (alpha >= beta)
        {
            return GaussHypergeometric.Value(1, r + x, c, (alpha - beta) / (alpha + tau), TermBudget);
        }

        return (alpha + tau) / (beta + tau) * GaussHypergeometric.Value(1, s + 1, c, (beta - alpha) / (beta + tau), TermBudget);
    }

    /// <summary>
    /// ∫_tx^T (α+τ)^−(r+x) (β+τ)^−(s+1) dτ / P(tx) by Simpson's rule on u = ln(β+τ), where the integrand becomes
    /// P(τ)/P(tx) ≤ 1 and smooth. Used only where the hypergeometric series fail.
    /// </summary>
    internal static double IntegralOverDeathTime(double rx, double alpha, double s, double beta, double tx, double age, double logAtTx)
    {
        double from = Math.Log(beta + tx), to = Math.Log(beta + age);
        if (!(to > from))
        {
            return 0;
        }

        var h = (to - from) / QuadratureSteps;
        double At(double u) => Math.Exp(LogActive(rx, alpha, s, beta, Math.Exp(u) - beta) - logAtTx);
        var sum = At(from) + At(to);
        for (var k = 1; k < QuadratureSteps; k++)
        {
            sum += (k % 2 == 1 ? 4 : 2) * At(from + (k * h));
        }

        return sum * h / 3;
    }
}
