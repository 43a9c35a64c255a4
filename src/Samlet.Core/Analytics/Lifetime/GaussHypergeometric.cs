using MathNet.Numerics;

namespace Samlet.Analytics.Lifetime;

/// <summary>
/// The Gauss hypergeometric function 2F1(a, b; c; z) for real z &lt; 1. The power series is summed directly for
/// 0 &lt;= z &lt;= 0.9; negative z is mapped into (0, 1) by Pfaff's transformation; z close to 1 uses the linear
/// transformation to 1 - z (Abramowitz &amp; Stegun 15.3.6), whose two terms have cancelling poles when c - a - b is
/// an integer: there the value is interpolated from c - a - b = n ± 2e-4 and n ± 4e-4. When a series has not
/// converged within the term budget (parameters of extreme size), the result is NaN so that callers can choose another
/// method instead of using a wrong value.
/// </summary>
internal static class GaussHypergeometric
{
    private const double Tolerance = 1e-16;
    private const int MaxTerms = 2_000_000;
    private const double SeriesLimit = 0.9;
    private const double IntegerGap = 1e-4;

    public static double Value(double a, double b, double c, double z, int maxTerms = MaxTerms)
    {
        if (!(z < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(z), z, "2F1 is evaluated for z < 1 only");
        }

        if (c <= 0 && c == Math.Floor(c))
        {
            throw new ArgumentOutOfRangeException(nameof(c), c, "2F1 is undefined when c is zero or a negative integer");
        }

        if (z < 0)
        {
            // Pfaff: F(a,b;c;z) = (1-z)^-a F(a, c-b; c; z/(z-1)), and z/(z-1) lies in (0, 1).
            return Math.Pow(1 - z, -a) * Value(a, c - b, c, z / (z - 1), maxTerms);
        }

        return z <= SeriesLimit ? Series(a, b, c, z, maxTerms) : NearOne(a, b, c, z, maxTerms);
    }

    /// <summary>The power series, summed until a term no longer changes the sum; NaN if that takes over maxTerms.</summary>
    public static double Series(double a, double b, double c, double z, int maxTerms)
    {
        double sum = 1, term = 1;
        // Before n passes -a, -b and -c the term ratios can be small by accident; do not stop there.
        var settled = Math.Max(0, Math.Max(-a, Math.Max(-b, -c))) + 2;
        for (var n = 0; n < maxTerms; n++)
        {
            term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
            sum += term;
            if (term == 0 || (n > settled && Math.Abs(term) <= Tolerance * Math.Abs(sum)))
            {
                return sum;
            }
        }

        return double.NaN;
    }

    private static double NearOne(double a, double b, double c, double z, int maxTerms)
    {
        var m = c - a - b;
        var n = Math.Round(m);
        if (Math.Abs(m - n) >= IntegerGap)
        {
            return Transformed(a, b, c, z, maxTerms);
        }

        // Cubic interpolation through c − a − b = n ± h and n ± 2h; the error is O(h^4).
        const double h = 2 * IntegerGap;
        ReadOnlySpan<double> nodes = [n - (2 * h), n - h, n + h, n + (2 * h)];
        var value = 0.0;
        for (var i = 0; i < nodes.Length; i++)
        {
            var weight = 1.0;
            for (var j = 0; j < nodes.Length; j++)
            {
                if (j != i)
                {
                    weight *= (m - nodes[j]) / (nodes[i] - nodes[j]);
                }
            }

            value += weight * Transformed(a, b, c + (nodes[i] - m), z, maxTerms);
        }

        return value;
    }

    private static double Transformed(double a, double b, double c, double z, int maxTerms)
    {
        var w = 1 - z;
        var m = c - a - b;
        var (logC, signC) = LogGamma(c);
        var first = GammaRatio(logC, signC, m, c - a, c - b) * Series(a, b, 1 - m, w, maxTerms);
        var second = GammaRatio(logC, signC, -m, a, b, m * Math.Log(w)) * Series(c - a, c - b, 1 + m, w, maxTerms);
        var value = first + second;
        // When the two terms cancel badly (large parameters), fall back to the slowly converging direct series.
        if (!double.IsFinite(value) || Math.Abs(first) + Math.Abs(second) > 1e8 * Math.Abs(value))
        {
            return Series(a, b, c, z, maxTerms);
        }

        return value;
    }

    /// <summary>Γ(c)Γ(top) / (Γ(d1)Γ(d2)) · e^logFactor, zero when a denominator argument is a pole.</summary>
    private static double GammaRatio(double logC, int signC, double top, double d1, double d2, double logFactor = 0)
    {
        var (logTop, signTop) = LogGamma(top);
        var (log1, sign1) = LogGamma(d1);
        var (log2, sign2) = LogGamma(d2);
        if (sign1 == 0 || sign2 == 0)
        {
            return 0;
        }

        return signC * signTop * sign1 * sign2 * Math.Exp(logC + logTop - log1 - log2 + logFactor);
    }

    /// <summary>ln|Γ(x)| and the sign of Γ(x); the sign is 0 at the poles (x = 0, -1, -2, ...).</summary>
    internal static (double LogAbs, int Sign) LogGamma(double x)
    {
        if (x > 0)
        {
            return (SpecialFunctions.GammaLn(x), 1);
        }

        if (x == Math.Floor(x))
        {
            return (double.PositiveInfinity, 0);
        }

        // Reflection: Γ(x) Γ(1-x) = π / sin(πx).
        var sin = double.SinPi(x);
        return (Math.Log(Math.PI / Math.Abs(sin)) - SpecialFunctions.GammaLn(1 - x), Math.Sign(sin));
    }
}
