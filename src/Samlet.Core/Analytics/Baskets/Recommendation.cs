namespace Samlet.Analytics.Baskets;

/// <summary>An item to offer a customer and the rule that recommends it most strongly (its explanation).</summary>
/// <param name="Item">The recommended item, the consequent of <paramref name="Rule"/>.</param>
/// <param name="Score">The rule's confidence or lift, depending on the ranking.</param>
/// <param name="Rule">The best rule whose antecedent the customer owns entirely.</param>
public sealed record Recommendation(string Item, double Score, AssociationRule Rule);
