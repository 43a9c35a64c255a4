namespace Samlet.Analytics.Baskets;

/// <summary>
/// A rule "antecedent ⇒ consequent" with arules' measures. The antecedent may be empty (a rule of length 1).
/// </summary>
/// <param name="Antecedent">Items of the left-hand side, sorted ordinally.</param>
/// <param name="Consequent">The single item of the right-hand side.</param>
/// <param name="Count">Baskets that contain the antecedent and the consequent.</param>
/// <param name="Support">Support of the whole itemset: Count / baskets.</param>
/// <param name="Coverage">Support of the antecedent (1 when it is empty).</param>
/// <param name="Confidence">Support / Coverage.</param>
/// <param name="Lift">Confidence / support of the consequent.</param>
/// <param name="Leverage">Support − Coverage × support of the consequent.</param>
/// <param name="Conviction">(1 − support of the consequent) / (1 − Confidence); +∞ when Confidence is 1, and 1 when the
/// consequent is in every basket (then antecedent and consequent are independent).</param>
public sealed record AssociationRule(
    IReadOnlyList<string> Antecedent,
    string Consequent,
    int Count,
    double Support,
    double Coverage,
    double Confidence,
    double Lift,
    double Leverage,
    double Conviction)
{
    public override string ToString() => $"{{{string.Join(",", Antecedent)}}} => {{{Consequent}}}";
}
