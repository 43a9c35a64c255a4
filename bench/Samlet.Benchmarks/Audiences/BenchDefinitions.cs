using System.Globalization;

namespace Samlet.Benchmarks.Audiences;

/// <summary>
/// The definitions of the audience benchmark, as the JSON the Definitions API takes. The base set is put before the
/// profiles are made, so every aggregate the other audiences need is already kept (complete) on every profile: the
/// recompute and the preview then evaluate without replaying events.
/// </summary>
internal static class BenchDefinitions
{
    public const string ProbeKey = "probe";

    /// <summary>The issue's three-condition audience (a trait, a computed trait, a behavioural condition kept by <c>viewed_3_in_30d</c>).</summary>
    public const string PreviewJson = """
        {"key":"preview","condition":{"and":[{"trait":"plan","op":"equals","value":"pro"},{"computed":"orders_90d","op":"greaterThanOrEqual","value":2},{"performed":"Product Viewed","atLeast":3,"within":"30d"}]}}
        """;

    public const string ProbeJson = """{"key":"probe","condition":{"trait":"probe","op":"equals","value":true}}""";

    public static IReadOnlyList<string> ComputedTraits { get; } =
    [
        """{"key":"orders_90d","aggregation":"count","event":"Order Completed","window":"90d"}""",
        """{"key":"revenue","aggregation":"sum","event":"Order Completed","property":"properties.total"}""",
        """{"key":"top_category","aggregation":"mostFrequent","event":"Product Viewed","property":"properties.category"}""",
    ];

    // Each keeps one behavioural aggregate (event, where, window); the generated audiences reuse them with other bounds.
    public static IReadOnlyList<string> BaseAudiences { get; } =
    [
        """{"key":"viewed_3_in_30d","condition":{"performed":"Product Viewed","atLeast":3,"within":"30d"}}""",
        """{"key":"viewed_7d","condition":{"performed":"Product Viewed","within":"7d"}}""",
        """{"key":"ordered_60d","condition":{"performed":"Order Completed","within":"60d"}}""",
        """{"key":"big_order","condition":{"performed":"Order Completed","where":[{"property":"properties.total","op":"greaterThan","value":100}]}}""",
    ];

    private static readonly string[] _plans = ["free", "pro", "enterprise"];
    private static readonly string[] _countries = ["DK", "SE", "NO", "DE", "FR", "GB", "US", "NL"];
    private static readonly string[] _categories = ["shoes", "shirts", "bags", "hats", "coats", "toys"];
    // {0}: the count bound; the rest matches one base audience's aggregate.
    private static readonly string[] _performed =
    [
        "\"performed\":\"Product Viewed\",\"atLeast\":{0},\"within\":\"30d\"",
        "\"performed\":\"Product Viewed\",\"atLeast\":{0},\"within\":\"7d\"",
        "\"performed\":\"Order Completed\",\"atLeast\":{0},\"within\":\"60d\"",
        "\"performed\":\"Order Completed\",\"atLeast\":{0},\"where\":[{{\"property\":\"properties.total\",\"op\":\"greaterThan\",\"value\":100}}]",
    ];

    private static readonly string[] _baseKeys = ["viewed_3_in_30d", "viewed_7d", "ordered_60d", "big_order"];

    /// <summary><paramref name="count"/> audiences of ten shapes: traits, computed traits, kept behaviour, memberOf, has email, not and or.</summary>
    public static IReadOnlyList<string> Generated(int count)
    {
        var list = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var plan = _plans[i % _plans.Length];
            var country = _countries[i % _countries.Length];
            var other = _countries[(i + 3) % _countries.Length];
            var category = _categories[i % _categories.Length];
            var n = 1 + (i % 4);
            var performed = "{" + string.Format(CultureInfo.InvariantCulture, _performed[i % _performed.Length], n) + "}";
            var member = _baseKeys[i % _baseKeys.Length];
            var condition = (i % 10) switch
            {
                0 => $$"""{"trait":"plan","op":"equals","value":"{{plan}}"}""",
                1 => $$"""{"and":[{"trait":"country","op":"in","value":["{{country}}","{{other}}"]},{"computed":"orders_90d","op":"greaterThanOrEqual","value":{{n}}}]}""",
                2 => performed,
                3 => $$"""{"and":[{"memberOf":"{{member}}"},{"has":"email"},{"trait":"plan","op":"notEquals","value":"{{plan}}"}]}""",
                4 => $$"""{"or":[{"computed":"revenue","op":"greaterThan","value":{{50 * n}}},{"computed":"top_category","op":"equals","value":"{{category}}"}]}""",
                5 => $$$"""{"not":{"or":[{"trait":"country","op":"equals","value":"{{{country}}}"},{{{performed}}}]}}""",
                6 => $$"""{"and":[{"trait":"plan","op":"equals","value":"{{plan}}"},{"computed":"orders_90d","op":"greaterThanOrEqual","value":{{n}}},{{performed}}]}""",
                7 => $$$"""{"and":[{"trait":"age","op":"between","value":[{{{20 + n}}},{{{40 + (5 * n)}}}]},{"not":{"memberOf":"{{{member}}}"}}]}""",
                8 => $$"""{"or":[{"and":[{"trait":"country","op":"equals","value":"{{country}}"},{"computed":"revenue","op":"greaterThanOrEqual","value":{{100 * n}}}]},{"and":[{"has":"email"},{{performed}}]}]}""",
                _ => $$"""{"and":[{"trait":"email","op":"contains","value":"{{i % 10}}@"},{"not":{{performed}}}]}""",
            };
            list.Add($$"""{"key":"aud_{{i:D3}}","name":"Audience {{i}}","condition":{{condition}}}""");
        }

        return list;
    }
}
