using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace Samlet.Analytics.Lifetime;

/// <summary>Fills the gradient of a log-likelihood (when the span is not empty) and returns its value.</summary>
internal delegate double LogLikelihoodFunction(ReadOnlySpan<double> parameters, Span<double> gradient);

/// <summary>
/// Maximises a log-likelihood over positive parameters from several starting points. The search runs on the logs of
/// the parameters (so they stay positive) and on the log-likelihood per customer (so tolerances do not depend on the
/// size of the data): BFGS when an analytic gradient exists, Nelder–Mead otherwise. Every evaluated point is watched,
/// so that a search stopped by its iteration limit (typically one walking along a flat ridge towards a boundary,
/// such as homogeneous dropout) still yields the best point it reached.
/// </summary>
internal static class LikelihoodMaximizer
{
    // Points beyond e^±16 are rejected: estimates that far out mean the likelihood has no interior maximum (see
    // FitGuards), and a search walking a flat ridge towards them would otherwise take hundreds of iterations.
    private const double LogBound = 16;
    private const double Rejected = 1e30;
    private const int BfgsIterations = 100;
    private const int SimplexIterations = 3_000;

    public static (double[] Parameters, double LogLikelihood) Maximize(
        string model,
        LogLikelihoodFunction logLikelihood,
        bool hasGradient,
        IReadOnlyList<double[]> starts,
        double customers)
    {
        var best = new BestPoint(logLikelihood, customers);
        foreach (var start in starts)
        {
            var theta = Vector<double>.Build.Dense(start.Length, i => Math.Log(start[i]));
            try
            {
                if (hasGradient)
                {
                    WithBfgs(best, theta);
                }
                else
                {
                    WithNelderMead(best, theta);
                }
            }
            catch (Exception e) when (e is OptimizationException or ArithmeticException or ArgumentException)
            {
                // The best point this search reached is already recorded.
            }
        }

        if (best.Theta is null || best.Value >= Rejected)
        {
            throw new ModelFitException($"{model}: the likelihood could not be evaluated at any point the search reached");
        }

        return (Array.ConvertAll(best.Theta, Math.Exp), -best.Value * customers);
    }

    private static void WithBfgs(BestPoint best, Vector<double> theta)
    {
        var objective = ObjectiveFunction.Gradient(t =>
        {
            var gradient = new double[t.Count];
            var value = best.Evaluate(t.AsArray() ?? t.ToArray(), gradient);
            return (value, Vector<double>.Build.Dense(gradient));
        });
        new BfgsMinimizer(1e-9, 1e-12, 1e-15, BfgsIterations).FindMinimum(objective, theta);
    }

    private static void WithNelderMead(BestPoint best, Vector<double> theta)
    {
        var objective = ObjectiveFunction.Value(t => best.Evaluate(t.AsArray() ?? t.ToArray(), Span<double>.Empty));
        var minimizer = new NelderMeadSimplex(1e-12, SimplexIterations);
        var point = minimizer.FindMinimum(objective, theta, Vector<double>.Build.Dense(theta.Count, 0.5)).MinimizingPoint;
        // A restart from the optimum guards against a simplex that collapsed before converging.
        minimizer.FindMinimum(objective, point, Vector<double>.Build.Dense(theta.Count, 0.05));
    }

    /// <summary>The objective −LL per customer at exp(θ), remembering the lowest value seen over all searches.</summary>
    private sealed class BestPoint(LogLikelihoodFunction logLikelihood, double customers)
    {
        public double[]? Theta { get; private set; }

        public double Value { get; private set; } = double.PositiveInfinity;

        /// <summary>The gradient, when asked for, is with respect to θ.</summary>
        public double Evaluate(double[] theta, Span<double> gradient)
        {
            Span<double> parameters = stackalloc double[theta.Length];
            for (var i = 0; i < theta.Length; i++)
            {
                if (!(Math.Abs(theta[i]) <= LogBound))
                {
                    gradient.Clear();
                    return Rejected;
                }

                parameters[i] = Math.Exp(theta[i]);
            }

            var value = logLikelihood(parameters, gradient);
            for (var i = 0; i < gradient.Length; i++)
            {
                gradient[i] = -gradient[i] * parameters[i] / customers;
                if (!double.IsFinite(gradient[i]))
                {
                    value = double.NaN;
                }
            }

            if (!double.IsFinite(value))
            {
                gradient.Clear();
                return Rejected;
            }

            value = -value / customers;
            if (value < Value)
            {
                Value = value;
                Theta = (double[])theta.Clone();
            }

            return value;
        }
    }
}
