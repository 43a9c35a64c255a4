using MathNet.Numerics.LinearAlgebra;

namespace Samlet.Analytics.Lifetime;

/// <summary>
/// Standard errors of maximum-likelihood estimates: square roots of the diagonal of the inverse of the negative
/// Hessian of the log-likelihood, the Hessian taken numerically by central differences in the natural parameters.
/// Null when the negative Hessian is not positive definite (a flat or non-maximal point).
/// </summary>
internal static class StandardErrors
{
    /// <summary>Hessian from differences of an analytic gradient (step 1e-5 relative).</summary>
    public static double[]? FromGradient(LogLikelihoodFunction logLikelihood, double[] estimate)
    {
        var k = estimate.Length;
        var hessian = new double[k, k];
        var plus = new double[k];
        var minus = new double[k];
        var point = (double[])estimate.Clone();
        for (var j = 0; j < k; j++)
        {
            var h = 1e-5 * estimate[j];
            point[j] = estimate[j] + h;
            logLikelihood(point, plus);
            point[j] = estimate[j] - h;
            logLikelihood(point, minus);
            point[j] = estimate[j];
            for (var i = 0; i < k; i++)
            {
                hessian[i, j] = (plus[i] - minus[i]) / (2 * h);
            }
        }

        return FromHessian(Symmetrise(hessian));
    }

    /// <summary>Hessian from second differences of the log-likelihood values (step 1e-4 relative).</summary>
    public static double[]? FromValues(Func<double[], double> logLikelihood, double[] estimate)
    {
        var k = estimate.Length;
        var hessian = new double[k, k];
        var step = Array.ConvertAll(estimate, p => 1e-4 * p);
        var centre = logLikelihood(estimate);
        double At(int i, double di, int j, double dj)
        {
            var point = (double[])estimate.Clone();
            point[i] += di * step[i];
            point[j] += dj * step[j];
            return logLikelihood(point);
        }

        for (var i = 0; i < k; i++)
        {
            hessian[i, i] = (At(i, 1, i, 0) - (2 * centre) + At(i, -1, i, 0)) / (step[i] * step[i]);
            for (var j = 0; j < i; j++)
            {
                var value = (At(i, 1, j, 1) - At(i, 1, j, -1) - At(i, -1, j, 1) + At(i, -1, j, -1)) / (4 * step[i] * step[j]);
                hessian[i, j] = value;
                hessian[j, i] = value;
            }
        }

        return FromHessian(hessian);
    }

    private static double[,] Symmetrise(double[,] hessian)
    {
        var k = hessian.GetLength(0);
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < i; j++)
            {
                var mean = (hessian[i, j] + hessian[j, i]) / 2;
                hessian[i, j] = mean;
                hessian[j, i] = mean;
            }
        }

        return hessian;
    }

    private static double[]? FromHessian(double[,] hessian)
    {
        var information = Matrix<double>.Build.DenseOfArray(hessian).Negate();
        foreach (var value in information.Enumerate())
        {
            if (!double.IsFinite(value))
            {
                return null;
            }
        }

        try
        {
            var covariance = information.Cholesky().Solve(Matrix<double>.Build.DenseIdentity(information.RowCount));
            var errors = new double[information.RowCount];
            for (var i = 0; i < errors.Length; i++)
            {
                errors[i] = Math.Sqrt(covariance[i, i]);
                if (!double.IsFinite(errors[i]))
                {
                    return null;
                }
            }

            return errors;
        }
        catch (ArgumentException)
        {
            // Cholesky refuses a matrix that is not positive definite.
            return null;
        }
    }
}
