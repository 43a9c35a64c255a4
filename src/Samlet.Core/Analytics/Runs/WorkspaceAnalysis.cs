using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Samlet.Analytics.Attribution;
using Samlet.Analytics.Baskets;
using Samlet.Analytics.Lifetime;
using Samlet.Analytics.Rfm;

namespace Samlet.Analytics.Runs;

/// <summary>
/// The analytics of one workspace as of a time (pure): RFM, BG/NBD or Pareto/NBD with Gamma-Gamma and a back-test on
/// the workspace's own history, "bought together" rules and recommendations, attribution, funnels and cohorts. A
/// part that cannot be computed (no repeat customers, no orders…) is reported with its reason; the others still run.
/// </summary>
public static class WorkspaceAnalysis
{
    private const double DaysPerWeek = 7;
    private const double PurchaseHorizonDays = 90;
    private const double ClvHorizonDays = 365;

    public static AnalyticsOutcome Run(WorkspaceActivity activity, AnalyticsSettings settings)
    {
        activity.Complete();
        var warnings = new List<string>();
        var asOfDay = DateOnly.FromDateTime(activity.AsOf.UtcDateTime);
        var buffer = new ArrayBufferWriter<byte>();
        var predictions = new List<ProfilePrediction>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("asOf", activity.AsOf.UtcDateTime);
            json.WritePropertyName("settings");
            AnalyticsSettingsJson.Write(json, settings);
            WriteData(json, activity, warnings);

            var rfm = activity.Orders.Count == 0 ? null : RfmScorer.Score(activity.Orders, asOfDay);
            WriteRfm(json, rfm);
            var lifetime = Lifetime(json, activity, settings, asOfDay, warnings);
            Backtest(json, activity, settings, asOfDay);
            var recommender = Rules(json, activity, settings, warnings);
            Attribution(json, activity, settings, warnings);
            Funnels(json, activity, settings);
            Cohorts(json, activity, settings);

            foreach (var customer in rfm?.Customers ?? [])
            {
                var value = lifetime?.GetValueOrDefault(customer.CustomerId);
                var owned = activity.Owned.GetValueOrDefault(customer.CustomerId);
                var recommended = recommender is null || settings.Recommendations == 0
                    ? []
                    : recommender.Recommend(owned ?? [], settings.Recommendations).Select(r => r.Item).ToList();
                predictions.Add(new ProfilePrediction(
                    customer.CustomerId, customer.Segment,
                    customer.Score,
                    value?.Purchases, value?.Alive, value is { } v ? ChurnRisk(v.Alive, settings) : null, value?.Clv, recommended));
            }

            json.WriteStartArray("warnings");
            foreach (var warning in warnings)
            {
                json.WriteStringValue(warning);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return new AnalyticsOutcome(Encoding.UTF8.GetString(buffer.WrittenSpan), predictions, warnings);
    }

    public static string ChurnRisk(double alive, AnalyticsSettings settings) =>
        alive < settings.HighChurnBelow ? "high" : alive < settings.MediumChurnBelow ? "medium" : "low";

    private static void WriteData(Utf8JsonWriter json, WorkspaceActivity activity, List<string> warnings)
    {
        json.WriteStartObject("data");
        json.WriteNumber("profiles", activity.Profiles);
        json.WriteNumber("events", activity.Events);
        json.WriteNumber("customers", activity.Orders.Select(o => o.CustomerId).Distinct(StringComparer.Ordinal).Count());
        json.WriteNumber("orders", activity.Orders.Count);
        json.WriteNumber("ordersWithoutValue", activity.OrdersWithoutValue);
        json.WriteNumber("ordersWithNegativeValue", activity.OrdersWithNegativeValue);
        if (activity.Orders.Count > 0)
        {
            json.WriteString("firstOrder", Day(activity.Orders.Min(o => o.Date)));
            json.WriteString("lastOrder", Day(activity.Orders.Max(o => o.Date)));
        }

        json.WriteEndObject();
        if (activity.Orders.Count == 0)
        {
            warnings.Add("no orders: RFM, lifetime models, rules and predictions need order events");
        }

        if (activity.OrdersWithoutValue + activity.OrdersWithNegativeValue > 0)
        {
            warnings.Add($"{activity.OrdersWithoutValue} orders without a value and {activity.OrdersWithNegativeValue} with a negative one count as orders worth 0");
        }
    }

    private static void WriteRfm(Utf8JsonWriter json, RfmResult? rfm)
    {
        json.WriteStartObject("rfm");
        if (rfm is null)
        {
            json.WriteString("error", "no orders");
            json.WriteEndObject();
            return;
        }

        json.WriteNumber("customers", rfm.Customers.Count);
        json.WriteStartArray("segments");
        foreach (var group in rfm.Customers.GroupBy(c => c.Segment).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteString("segment", group.Key);
            json.WriteNumber("customers", group.Count());
            json.WriteNumber("share", (double)group.Count() / rfm.Customers.Count);
            json.WriteNumber("revenue", Math.Round(group.Sum(c => c.Monetary), 2));
            json.WriteNumber("averageRecencyDays", group.Average(c => c.RecencyDays));
            json.WriteNumber("averageOrders", group.Average(c => c.Frequency));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("bins");
        AnalyticsJson.WriteBins(json, "recency", rfm.Recency);
        AnalyticsJson.WriteBins(json, "frequency", rfm.Frequency);
        AnalyticsJson.WriteBins(json, "monetary", rfm.Monetary);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private sealed record Value(double Purchases, double Alive, double? Clv);

    private static Dictionary<string, Value>? Lifetime(Utf8JsonWriter json, WorkspaceActivity activity, AnalyticsSettings settings, DateOnly asOf, List<string> warnings)
    {
        json.WriteStartObject("lifetime");
        json.WriteString("model", settings.Model);
        json.WriteString("timeUnit", "weeks");
        try
        {
            var hasAmounts = activity.Orders.Any(o => o.Amount > 0);
            var data = CalibrationSummary.FromTransactions(activity.Orders, asOf, TimeUnit.Weeks, hasAmounts);
            json.WriteNumber("customers", data.Count);
            json.WriteNumber("repeatCustomers", data.Frequency.Count(x => x > 0));
            var (model, parameters, logLikelihood) = Fit(settings.Model, data);
            Estimates(json, "parameters", parameters);
            json.WriteNumber("logLikelihood", logLikelihood);
            GammaGammaModel? spend = null;
            json.WritePropertyName("spend");
            try
            {
                var fit = hasAmounts ? GammaGammaModel.Fit(data) : throw new ModelFitException("the orders carry no values");
                spend = fit.Model;
                json.WriteStartObject();
                Estimates(json, "parameters", fit.Parameters);
                json.WriteNumber("logLikelihood", fit.LogLikelihood);
                json.WriteNumber("customers", fit.Customers);
                json.WriteEndObject();
            }
            catch (ModelFitException e)
            {
                json.WriteStartObject();
                json.WriteString("error", e.Message);
                json.WriteEndObject();
                warnings.Add("no spend model, so no predicted_clv_12m: " + e.Message);
            }

            var weeklyDiscount = Math.Pow(1 + settings.AnnualDiscountRate, DaysPerWeek / ClvHorizonDays) - 1;
            var near = CustomerValuation.Score(model, spend, data, PurchaseHorizonDays / DaysPerWeek, 0);
            var year = CustomerValuation.Score(model, spend, data, ClvHorizonDays / DaysPerWeek, weeklyDiscount);
            var values = new Dictionary<string, Value>(StringComparer.Ordinal);
            for (var i = 0; i < near.Count; i++)
            {
                var clv = year[i].Clv is { } c && double.IsFinite(c) ? c : (double?)null;
                values[near[i].CustomerId] = new Value(near[i].ExpectedPurchases, Math.Clamp(near[i].ProbabilityAlive, 0, 1), clv);
            }

            json.WriteNumber("weeklyDiscountRate", weeklyDiscount);
            json.WriteStartObject("totals");
            json.WriteNumber("predictedPurchases90d", values.Values.Sum(v => v.Purchases));
            json.WriteNumber("predictedClv12m", Math.Round(values.Values.Sum(v => v.Clv ?? 0), 2));
            json.WriteNumber("averagePAlive", values.Count == 0 ? 0 : values.Values.Average(v => v.Alive));
            json.WriteEndObject();
            json.WriteStartObject("churnRisk");
            foreach (var level in (ReadOnlySpan<string>)["high", "medium", "low"])
            {
                json.WriteNumber(level, values.Values.Count(v => ChurnRisk(v.Alive, settings) == level));
            }

            json.WriteEndObject();
            json.WriteEndObject();
            return values;
        }
        catch (ModelFitException e)
        {
            json.WriteString("error", e.Message);
            json.WriteEndObject();
            warnings.Add("no lifetime predictions: " + e.Message);
            return null;
        }
    }

    private static (IRepeatPurchaseModel Model, IReadOnlyList<ParameterEstimate> Parameters, double LogLikelihood) Fit(string name, CalibrationSummary data)
    {
        if (name == "paretonbd")
        {
            var fit = ParetoNbdModel.Fit(data);
            return (fit.Model, fit.Parameters, fit.LogLikelihood);
        }
        else
        {
            var fit = BgNbdModel.Fit(data);
            return (fit.Model, fit.Parameters, fit.LogLikelihood);
        }
    }

    // Fitted on all history but the last HoldoutDays, the model predicts each customer's repeat purchases in them.
    private static void Backtest(Utf8JsonWriter json, WorkspaceActivity activity, AnalyticsSettings settings, DateOnly asOf)
    {
        json.WriteStartObject("backtest");
        var calibrationEnd = asOf.AddDays(-settings.HoldoutDays);
        json.WriteString("calibrationEnd", Day(calibrationEnd));
        json.WriteString("holdoutEnd", Day(asOf));
        json.WriteNumber("holdoutDays", settings.HoldoutDays);
        // A calibration period shorter than half the holdout says too little about the customers to judge the models by.
        var earliest = calibrationEnd.AddDays(-settings.HoldoutDays / 2);
        if (activity.Orders.Count == 0 || activity.Orders.Min(o => o.Date) > earliest)
        {
            json.WriteString("skipped", $"the back-test needs orders from {Day(earliest)} or earlier: history at least half as long as the {settings.HoldoutDays}-day holdout before it");
            json.WriteEndObject();
            return;
        }

        try
        {
            var data = CalibrationSummary.FromTransactions(activity.Orders, calibrationEnd, TimeUnit.Weeks, hasAmounts: false, holdoutEnd: asOf);
            var (model, parameters, logLikelihood) = Fit(settings.Model, data);
            Estimates(json, "parameters", parameters);
            json.WriteNumber("logLikelihood", logLikelihood);
            var holdout = CustomerValuation.CompareHoldout(model, data);
            var actual = data.HoldoutPurchases!;
            var predicted = new double[data.Count];
            var error = 0.0;
            for (var i = 0; i < data.Count; i++)
            {
                predicted[i] = model.ExpectedPurchases(data.HoldoutLength, data.Frequency[i], data.Recency[i], data.Age[i]);
                error += Math.Abs(predicted[i] - actual[i]);
            }

            json.WriteNumber("customers", data.Count);
            json.WriteNumber("actual", holdout.Actual);
            json.WriteNumber("predicted", holdout.Predicted);
            json.WriteNumber("relativeError", holdout.Actual == 0 ? 0 : (holdout.Predicted - holdout.Actual) / holdout.Actual);
            json.WriteNumber("meanAbsoluteError", error / data.Count);
            json.WriteNumber("correlation", Correlation(predicted, actual));
            json.WriteStartArray("byFrequency");
            foreach (var group in Enumerable.Range(0, data.Count).GroupBy(i => Math.Min(data.Frequency[i], 7)).OrderBy(g => g.Key))
            {
                json.WriteStartObject();
                json.WriteString("frequency", group.Key == 7 ? "7+" : group.Key.ToString(CultureInfo.InvariantCulture));
                json.WriteNumber("customers", group.Count());
                json.WriteNumber("actual", group.Average(i => (double)actual[i]));
                json.WriteNumber("predicted", group.Average(i => predicted[i]));
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }
        catch (ModelFitException e)
        {
            json.WriteString("error", e.Message);
        }

        json.WriteEndObject();
    }

    private static double Correlation(double[] x, IReadOnlyList<int> y)
    {
        var n = x.Length;
        if (n < 2)
        {
            return 0;
        }

        var (mx, my) = (x.Average(), y.Average());
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < n; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        // No spread on one side: no linear relation to speak of (and never NaN).
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.Sqrt(sxx * syy);
    }

    private static BasketRecommender? Rules(Utf8JsonWriter json, WorkspaceActivity activity, AnalyticsSettings settings, List<string> warnings)
    {
        json.WriteStartObject("rules");
        var baskets = activity.Baskets.Where(b => b.Length > 0).ToList();
        json.WriteNumber("orders", activity.Baskets.Count);
        json.WriteNumber("baskets", baskets.Count);
        json.WriteNumber("minSupport", settings.MinSupport);
        json.WriteNumber("minConfidence", settings.MinConfidence);
        if (baskets.Count == 0)
        {
            json.WriteString("error", "no order lists products (properties.products[].product_id, sku, id or name)");
            json.WriteEndObject();
            if (activity.Orders.Count > 0)
            {
                warnings.Add("no products in orders, so no rules and no recommended_products");
            }

            return null;
        }

        var options = new AssociationRuleOptions(settings.MinSupport, settings.MinConfidence) { MaxLength = 4 };
        var result = AssociationRuleMiner.Mine(TransactionSet.FromBaskets(baskets), options);
        json.WriteNumber("items", result.ItemCount);
        json.WriteNumber("frequentItemsets", result.Itemsets.Count);
        json.WriteNumber("ruleCount", result.Rules.Count);
        json.WriteStartArray("rules");
        foreach (var rule in result.Rules.Where(r => r.Antecedent.Count > 0).Take(settings.ReportedRules))
        {
            AnalyticsJson.WriteRule(json, rule);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        return new BasketRecommender(result.Rules);
    }

    private static void Attribution(Utf8JsonWriter json, WorkspaceActivity activity, AnalyticsSettings settings, List<string> warnings)
    {
        json.WriteStartObject("attribution");
        json.WriteString("conversionEvent", settings.Conversion);
        json.WriteNumber("lookbackDays", settings.LookbackDays);
        json.WriteNumber("halfLifeDays", settings.HalfLifeDays);
        if (activity.Journeys.Count(j => j.Conversions > 0) == 0)
        {
            json.WriteString("error", $"no '{settings.Conversion}' events to attribute");
            warnings.Add($"no attribution: no '{settings.Conversion}' events");
        }
        else
        {
            var report = AttributionAnalysis.Run(activity.Journeys, new AttributionOptions { HalfLife = TimeSpan.FromDays(settings.HalfLifeDays) });
            AnalyticsJson.WriteAttribution(json, report);
        }

        json.WriteEndObject();
    }

    private static void Funnels(Utf8JsonWriter json, WorkspaceActivity activity, AnalyticsSettings settings)
    {
        json.WriteStartArray("funnels");
        foreach (var (funnel, counter) in settings.Funnels.Zip(activity.Funnels))
        {
            json.WriteStartObject();
            json.WriteString("name", funnel.Name);
            json.WriteNumber("windowDays", funnel.WindowDays);
            json.WriteStartArray("steps");
            foreach (var step in counter.Steps())
            {
                json.WriteStartObject();
                json.WriteNumber("step", step.Step);
                json.WriteString("event", step.EventName);
                json.WriteNumber("users", step.Users);
                json.WriteNumber("conversionFromStart", step.ConversionFromStart);
                json.WriteNumber("conversionFromPrevious", step.ConversionFromPrevious);
                json.WriteNumber("droppedOff", step.DroppedOff);
                json.WriteNumber("dropOffRate", step.DropOffRate);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void Cohorts(Utf8JsonWriter json, WorkspaceActivity activity, AnalyticsSettings settings)
    {
        json.WriteStartObject("cohorts");
        json.WriteString("period", settings.CohortPeriod);
        json.WriteString("activityEvent", settings.ActivityEvent ?? "any event");
        json.WriteStartArray("cohorts");
        foreach (var cohort in activity.Cohorts.Cohorts())
        {
            json.WriteStartObject();
            json.WriteString("start", Day(cohort.Start));
            json.WriteNumber("size", cohort.Size);
            AnalyticsJson.WriteNumbers(json, "activeUsers", cohort.ActiveUsers.Select(a => (double)a));
            AnalyticsJson.WriteNumbers(json, "retainedShare", cohort.RetainedShare);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Estimates(Utf8JsonWriter json, string name, IReadOnlyList<ParameterEstimate> estimates)
    {
        json.WriteStartArray(name);
        foreach (var estimate in estimates)
        {
            json.WriteStartObject();
            json.WriteString("name", estimate.Name);
            json.WriteNumber("value", estimate.Value);
            if (estimate.StandardError is { } error && double.IsFinite(error))
            {
                json.WriteNumber("standardError", error);
            }
            else
            {
                json.WriteNull("standardError");
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
