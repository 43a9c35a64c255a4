namespace Samlet.Analytics.Baskets;

/// <summary>
/// "Bought together" recommendations: a rule applies to a customer when the customer owns every antecedent item and
/// not the consequent; each candidate item is scored by the best applicable rule, and the top N are returned.
/// Rules with an empty antecedent always apply, so popular items fill the list when nothing more specific does.
/// </summary>
public sealed class BasketRecommender
{
    // Each rule is indexed under one antecedent item only (its first), so it is tested at most once per customer.
    private readonly Dictionary<string, List<AssociationRule>> _rulesByFirstItem = new(StringComparer.Ordinal);
    private readonly List<AssociationRule> _unconditionalRules = [];
    private readonly RecommendationRanking _ranking;

    public BasketRecommender(IEnumerable<AssociationRule> rules, RecommendationRanking ranking = RecommendationRanking.Confidence)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _ranking = ranking;
        foreach (var rule in rules)
        {
            if (rule.Antecedent.Count == 0)
            {
                _unconditionalRules.Add(rule);
                continue;
            }

            if (!_rulesByFirstItem.TryGetValue(rule.Antecedent[0], out var list))
            {
                list = [];
                _rulesByFirstItem.Add(rule.Antecedent[0], list);
            }

            list.Add(rule);
        }
    }

    /// <summary>At most <paramref name="top"/> items the customer does not own, best first; equal scores are broken by
    /// support, then item label.</summary>
    public IReadOnlyList<Recommendation> Recommend(IEnumerable<string> ownedItems, int top)
    {
        ArgumentNullException.ThrowIfNull(ownedItems);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var owned = ownedItems as IReadOnlySet<string> ?? new HashSet<string>(ownedItems, StringComparer.Ordinal);
        var best = new Dictionary<string, AssociationRule>(StringComparer.Ordinal);

        foreach (var rule in _unconditionalRules)
        {
            Consider(rule);
        }

        foreach (var item in owned)
        {
            if (!_rulesByFirstItem.TryGetValue(item, out var rules))
            {
                continue;
            }

            foreach (var rule in rules)
            {
                if (rule.Antecedent.All(owned.Contains))
                {
                    Consider(rule);
                }
            }
        }

        return [.. best.Values
            .Order(Comparer<AssociationRule>.Create(CompareBestFirst))
            .Take(top)
            .Select(rule => new Recommendation(rule.Consequent, Score(rule), rule))];

        void Consider(AssociationRule rule)
        {
            if (owned.Contains(rule.Consequent))
            {
                return;
            }

            if (!best.TryGetValue(rule.Consequent, out var current) || CompareBestFirst(rule, current) < 0)
            {
                best[rule.Consequent] = rule;
            }
        }
    }

    /// <summary>Recommendations for many customers at once, keyed by customer id.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Recommendation>> RecommendForCustomers(
        IEnumerable<KeyValuePair<string, IReadOnlyCollection<string>>> ownedByCustomer, int top)
    {
        ArgumentNullException.ThrowIfNull(ownedByCustomer);
        var result = new Dictionary<string, IReadOnlyList<Recommendation>>(StringComparer.Ordinal);
        foreach (var (customer, owned) in ownedByCustomer)
        {
            result[customer] = Recommend(owned, top);
        }

        return result;
    }

    private double Score(AssociationRule rule) => _ranking == RecommendationRanking.Lift ? rule.Lift : rule.Confidence;

    /// <summary>Negative when <paramref name="a"/> ranks before <paramref name="b"/>.</summary>
    private int CompareBestFirst(AssociationRule a, AssociationRule b)
    {
        var (primaryA, secondaryA) = _ranking == RecommendationRanking.Lift ? (a.Lift, a.Confidence) : (a.Confidence, a.Lift);
        var (primaryB, secondaryB) = _ranking == RecommendationRanking.Lift ? (b.Lift, b.Confidence) : (b.Confidence, b.Lift);
        var order = primaryB.CompareTo(primaryA);
        if (order == 0)
        {
            order = secondaryB.CompareTo(secondaryA);
        }

        if (order == 0)
        {
            order = b.Support.CompareTo(a.Support);
        }

        if (order == 0)
        {
            order = string.CompareOrdinal(a.Consequent, b.Consequent);
        }

        // Equal scores for one item: explain with the shortest, then alphabetically first, antecedent.
        if (order == 0)
        {
            order = a.Antecedent.Count.CompareTo(b.Antecedent.Count);
        }

        return order != 0 ? order : string.CompareOrdinal(string.Join('\u001f', a.Antecedent), string.Join('\u001f', b.Antecedent));
    }
}
