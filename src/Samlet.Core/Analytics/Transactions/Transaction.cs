namespace Samlet.Analytics.Transactions;

/// <summary>One purchase: who, on which calendar day, and for how much (0 when the file carries no amounts).</summary>
public readonly record struct Transaction(string CustomerId, DateOnly Date, double Amount);
