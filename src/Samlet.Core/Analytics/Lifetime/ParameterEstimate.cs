namespace Samlet.Analytics.Lifetime;

/// <summary>A maximum-likelihood estimate and its standard error (null when the Hessian is not negative definite).</summary>
public readonly record struct ParameterEstimate(string Name, double Value, double? StandardError);
