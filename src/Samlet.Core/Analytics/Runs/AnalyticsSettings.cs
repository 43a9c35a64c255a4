namespace Samlet.Analytics.Runs;

/// <summary>
/// How a workspace's analytics job runs (docs/analytics.md "In the platform"): when, which events are orders and
/// conversions, the models' settings, and which funnels and cohorts to report. Every property has a default, so
/// <see cref="Default"/> works for any shop that follows Segment's e-commerce spec.
/// </summary>
public sealed record AnalyticsSettings
{
    public static readonly AnalyticsSettings Default = new();

    /// <summary>Whether the job runs on its schedule (a run asked for through the API always runs).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Hours between scheduled runs.</summary>
    public double IntervalHours { get; init; } = 24;

    /// <summary>The track event that is an order.</summary>
    public string OrderEvent { get; init; } = "Order Completed";

    /// <summary>Order properties holding its value, the first present number wins (Segment: revenue, else total).</summary>
    public IReadOnlyList<string> RevenueProperties { get; init; } = ["revenue", "total"];

    /// <summary>The track event attribution credits (default: <see cref="OrderEvent"/>).</summary>
    public string? ConversionEvent { get; init; }

    /// <summary>The repeat-purchase model: <c>bgnbd</c> or <c>paretonbd</c>.</summary>
    public string Model { get; init; } = "bgnbd";

    /// <summary>Days at the end of history the back-test holds out: the models are fitted on the history before them and their predictions compared with what happened.</summary>
    public int HoldoutDays { get; init; } = 90;

    /// <summary>Yearly discount rate of <c>predicted_clv_12m</c>.</summary>
    public double AnnualDiscountRate { get; init; } = 0.10;

    /// <summary><c>churn_risk</c> is "high" when P(alive) is below this…</summary>
    public double HighChurnBelow { get; init; } = 0.3;

    /// <summary>…"medium" when below this, else "low".</summary>
    public double MediumChurnBelow { get; init; } = 0.7;

    /// <summary>Minimum support of "bought together" itemsets, as a fraction of orders.</summary>
    public double MinSupport { get; init; } = 0.001;

    public double MinConfidence { get; init; } = 0.05;

    /// <summary>Most products in <c>recommended_products</c>.</summary>
    public int Recommendations { get; init; } = 5;

    /// <summary>Rules kept in the report (the strongest by confidence, then lift).</summary>
    public int ReportedRules { get; init; } = 100;

    /// <summary>How far before a conversion a touch still counts.</summary>
    public int LookbackDays { get; init; } = 30;

    /// <summary>Half-life of the time-decay attribution model.</summary>
    public double HalfLifeDays { get; init; } = 7;

    public IReadOnlyList<FunnelSettings> Funnels { get; init; } =
        [new("Purchase", ["Product Viewed", "Product Added", "Checkout Started", "Order Completed"], 7)];

    /// <summary><c>week</c> or <c>month</c>.</summary>
    public string CohortPeriod { get; init; } = "month";

    /// <summary>The event that counts as activity for retention (null: any event).</summary>
    public string? ActivityEvent { get; init; }

    /// <summary>Whether the job writes its predictions onto profiles.</summary>
    public bool WriteTraits { get; init; } = true;

    public string Conversion => ConversionEvent ?? OrderEvent;
}

/// <summary>An ordered funnel of track events within a window of days from the first step.</summary>
public sealed record FunnelSettings(string Name, IReadOnlyList<string> Steps, double WindowDays);
