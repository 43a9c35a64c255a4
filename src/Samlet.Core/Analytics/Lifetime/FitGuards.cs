namespace Samlet.Analytics.Lifetime;

/// <summary>
/// Checks shared by the lifetime models: parameters out of range, data that cannot identify a model, and estimates
/// that ran off.
/// </summary>
internal static class FitGuards
{
    // The maximiser stops at e^±16 (about 9e6 and 1e-7); an estimate within a factor of ten of that wall means the
    // likelihood kept rising towards a boundary: there is no interior maximum.
    private const double Largest = 8.8e5;
    private const double Smallest = 1.2e-6;

    /// <summary>Every parameter of these models is a positive, finite shape, rate or scale.</summary>
    public static void RequirePositiveFinite(string model, string parameterName, ReadOnlySpan<double> values)
    {
        foreach (var value in values)
        {
            if (!(value > 0 && double.IsFinite(value)))
            {
                throw new ArgumentOutOfRangeException(parameterName, $"{model} parameters must be positive and finite");
            }
        }
    }

    public static void RequireRepeatData(CalibrationSummary data, string model)
    {
        if (data.Count == 0)
        {
            throw new ModelFitException($"{model}: there are no customers: nobody made a first purchase on or before the calibration end");
        }

        if (data.Count == 1)
        {
            throw new ModelFitException($"{model}: a single customer cannot identify the model; at least two customers are needed");
        }

        var repeaters = 0;
        var sameAge = true;
        for (var i = 0; i < data.Count; i++)
        {
            repeaters += data.X[i] > 0 ? 1 : 0;
            sameAge &= data.T[i] == data.T[0];
        }

        if (repeaters == 0 && sameAge)
        {
            throw new ModelFitException($"{model}: all purchases fall on a single day, so there is nothing to fit");
        }

        if (repeaters == 0)
        {
            throw new ModelFitException($"{model}: no customer made a repeat purchase in the calibration period, so the purchase and dropout rates cannot be estimated");
        }
    }

    public static void RequireInterior(string model, string[] names, double[] estimate)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (!(estimate[i] < Largest && estimate[i] > Smallest))
            {
                var direction = estimate[i] >= Largest ? "infinity" : "zero";
                throw new ModelFitException(
                    $"{model}: the likelihood has no interior maximum (parameter {names[i]} runs off to {direction}): the customers are too few or too alike for the model to estimate how they differ");
            }
        }
    }

    public static IReadOnlyList<ParameterEstimate> Estimates(string[] names, double[] values, double[]? errors)
    {
        var estimates = new ParameterEstimate[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            estimates[i] = new ParameterEstimate(names[i], values[i], errors?[i]);
        }

        return estimates;
    }

    /// <summary>Mean of x and of T, to scale the starting points to the data's time unit.</summary>
    public static (double MeanX, double MeanT) Means(CalibrationSummary data)
    {
        double sx = 0, st = 0;
        for (var i = 0; i < data.Count; i++)
        {
            sx += data.X[i];
            st += data.T[i];
        }

        return (sx / data.Count, Math.Max(st / data.Count, 1e-3));
    }
}
