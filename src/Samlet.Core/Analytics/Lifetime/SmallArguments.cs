namespace Samlet.Analytics.Lifetime;

/// <summary>
/// ln(1+x) and e^x − 1 without cancellation for small x (.NET's double.LogP1/ExpM1 compute them naively).
/// Both use Kahan's correction of the rounding in 1 + x.
/// </summary>
internal static class SmallArguments
{
    public static double Log1P(double x)
    {
        var u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    public static double ExpM1(double x)
    {
        if (Math.Abs(x) > 0.5)
        {
            return Math.Exp(x) - 1;
        }

        var u = Math.Exp(x);
        if (u == 1)
        {
            return x;
        }

        return (u - 1) * x / Math.Log(u);
    }

    /// <summary>(1 − e^(εL)) / ε, continuous through ε = 0 where it equals −L.</summary>
    public static double OneMinusExpOver(double epsilon, double logBase) =>
        epsilon == 0 ? -logBase : -ExpM1(epsilon * logBase) / epsilon;
}
