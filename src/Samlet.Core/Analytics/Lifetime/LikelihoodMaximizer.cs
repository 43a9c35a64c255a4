using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace Samlet.Analytics.Lifetime;

/// <summary>Fills the gradient of a log-likelihood (when the span is not empty) and returns its value.</summary>
internal delegate double LogLikelihoodFunction(ReadOnlySpan<double> parameters, Span<double> gradient);

/// <summary>
/// Maximises a log-likelihood over positive parameters from several starting points. The search runs on the logs of
/// the parameters (so they stay positive) and on the log-likelihood per customer (so tolerances do not depend on the
/// size of the data): BFGS when an analytic gradient exists, Nelder–Mead otherwise, each start kept only if it improves.
/// </summary>
internal static class LikelihoodMaximizer
{
    // Outside e^±50 the models overflow; such points are rejected rather than evaluated.
    private const double LogBound = 50;
    private const double Rejected = 1e30;

    public static (double[] Parameters, double LogLikelihood) Maximize(
        LogLikelihoodFunction logLikelihood,
        bool hasGradient,
        IReadOnlyList<double[]> starts,
        double customers)
    {
        double[]? best = null;
        var bestValue = double.PositiveInfinity;
        Exception? lastFailure = null;
        foreach (var start in starts)
        {
            var theta = Vector<double>.Build.Dense(start.Length, i => Math.Log(start[i]));
            try
            {
                var point = hasGradient
                    ? WithBfgs(logLikelihood, theta, customers)
                    : WithNelderMead(logLikelihood, theta, customers);
                var value = Objective(logLikelihood, point, customers, Span<double>.Empty);
                if (value < bestValue)
                {
                    bestValue = value;
                    best = point;
                }
            }
            catch (Exception e) when (e is OptimizationException or ArithmeticException or ArgumentException)
            {
                lastFailure = e;
            }
        }

        if (best is null || bestValue >= Rejected)
        {
            const string message = "the likelihood could not be maximised from any starting point";
            throw lastFailure is null ? new ModelFitException(message) : new ModelFitException(message, lastFailure);
        }

        return (Array.ConvertAll(best, Math.Exp), -bestValue * customers);
    }

    private static double[] WithBfgs(LogLikelihoodFunction logLikelihood, Vector<double> theta, double customers)
    {
        var objective = ObjectiveFunction.Gradient(t =>
        {
            var gradient = new double[t.Count];
            var value = Objective(logLikelihood, t.AsArray() ?? t.ToArray(), customers, gradient);
            return (value, Vector<double>.Build.Dense(gradient));
        });
        var minimizer = new BfgsMinimizer(1e-9, 1e-12, 1e-15, 1000);
        return minimizer.FindMinimum(objective, theta).MinimizingPoint.ToArray();
    }

    private static double[] WithNelderMead(LogLikelihoodFunction logLikelihood, Vector<double> theta, double customers)
    {
        var objective = ObjectiveFunction.Value(t => Objective(logLikelihood, t.AsArray() ?? t.ToArray(), customers, Span<double>.Empty));
        var minimizer = new NelderMeadSimplex(1e-12, 5_000);
        var point = minimizer.FindMinimum(objective, theta, Vector<double>.Build.Dense(theta.Count, 0.5)).MinimizingPoint;
        // A restart from the optimum guards against a simplex that collapsed before converging.
        return minimizer.FindMinimum(objective, point, Vector<double>.Build.Dense(theta.Count, 0.05)).MinimizingPoint.ToArray();
    }

    /// <summary>−LL per customer at exp(θ); the gradient, when asked for, is with respect to θ.</summary>
    private static double Objective(LogLikelihoodFunction logLikelihood, double[] theta, double customers, Span<double> gradient)
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

        return -value / customers;
    }
}
