namespace Samlet.Analytics.Lifetime;

/// <summary>Repeat purchases in the holdout period, actual and predicted, summed over the calibration customers.</summary>
public sealed record HoldoutComparison(double Length, long Actual, double Predicted);
