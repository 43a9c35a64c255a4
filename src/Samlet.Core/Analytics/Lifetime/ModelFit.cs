namespace Samlet.Analytics.Lifetime;

/// <summary>A fitted model with its maximised log-likelihood, estimates and the number of customers it was fitted on.</summary>
public sealed record ModelFit<TModel>(TModel Model, double LogLikelihood, IReadOnlyList<ParameterEstimate> Parameters, int Customers);
