namespace Samlet.Analytics.Lifetime;

/// <summary>
/// One customer's calibration summary and predictions: expected purchases over the horizon, probability of being
/// active, expected spend per purchase and CLV (both null without a spend model or when the expectation is infinite).
/// </summary>
public sealed record CustomerValue(
    string CustomerId,
    int Frequency,
    double Recency,
    double Age,
    double? MeanRepeatSpend,
    double ExpectedPurchases,
    double ProbabilityAlive,
    double? ExpectedSpend,
    double? Clv);
