using System.Text.Json.Nodes;

namespace Samlet.Analytics.Runs;

/// <summary>
/// What one analytics run predicts for one customer, written onto the profile as traits (<see cref="Traits"/>).
/// Lifetime values are null when the models could not be fitted; <see cref="RecommendedProducts"/> is empty when no
/// rule applies.
/// </summary>
public sealed record ProfilePrediction(
    string ProfileId,
    string RfmSegment,
    int RfmScore,
    double? PredictedPurchases90d,
    double? PAlive,
    string? ChurnRisk,
    double? PredictedClv12m,
    IReadOnlyList<string> RecommendedProducts)
{
    /// <summary>The trait names, as audiences and the Profile API see them.</summary>
    public static readonly IReadOnlyList<string> TraitNames =
        ["rfm_segment", "rfm_score", "predicted_purchases_90d", "p_alive", "churn_risk", "predicted_clv_12m", "recommended_products"];

    /// <summary>
    /// The traits, rounded so that a run changes a value only when it changes visibly (probabilities and purchases to
    /// two decimals, money to cents): that keeps the events a daily run writes to the profiles that really changed.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, JsonNode?>> Traits()
    {
        var traits = new List<KeyValuePair<string, JsonNode?>>
        {
            new("rfm_segment", JsonValue.Create(RfmSegment)),
            new("rfm_score", JsonValue.Create(RfmScore)),
        };
        if (PAlive is { } alive)
        {
            traits.Add(new("predicted_purchases_90d", JsonValue.Create(Math.Round(PredictedPurchases90d ?? 0, 2))));
            traits.Add(new("p_alive", JsonValue.Create(Math.Round(alive, 2))));
            traits.Add(new("churn_risk", JsonValue.Create(ChurnRisk)));
        }

        if (PredictedClv12m is { } clv)
        {
            traits.Add(new("predicted_clv_12m", JsonValue.Create(Math.Round(clv, 2))));
        }

        traits.Add(new("recommended_products", new JsonArray([.. RecommendedProducts.Select(p => (JsonNode?)JsonValue.Create(p))])));
        return traits;
    }
}
