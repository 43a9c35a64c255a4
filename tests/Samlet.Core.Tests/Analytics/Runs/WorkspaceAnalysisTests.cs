using System.Text.Json;
using Samlet.Analytics.Runs;
using Samlet.Core.Tests.Analytics.Lifetime;

namespace Samlet.Core.Tests.Analytics.Runs;

public sealed class WorkspaceAnalysisTests
{
    private static readonly DateTimeOffset _cdnowCalibrationEnd = new(1997, 9, 30, 23, 59, 59, TimeSpan.Zero);

    private static (AnalyticsOutcome Outcome, JsonElement Report) Run(IEnumerable<Samlet.Storage.ProfileEvent> events, DateTimeOffset asOf, AnalyticsSettings? settings = null)
    {
        settings ??= AnalyticsSettings.Default;
        var activity = new WorkspaceActivity(settings, asOf);
        foreach (var e in events)
        {
            activity.Add(e);
        }

        var outcome = WorkspaceAnalysis.Run(activity, settings);
        using var document = JsonDocument.Parse(outcome.ReportJson);
        return (outcome, document.RootElement.Clone());
    }

    private static ActivityEvents Cdnow()
    {
        var events = new ActivityEvents();
        foreach (var t in CdnowSample.Transactions())
        {
            events.Order("p" + t.CustomerId, new DateTimeOffset(t.Date.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero), t.Amount, "cd");
        }

        return events;
    }

    private static double Parameter(JsonElement section, string name) =>
        section.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == name).GetProperty("value").GetDouble();

    [Fact]
    public void Orders_of_the_CDNOW_sample_as_events_give_the_published_BG_NBD_and_Gamma_Gamma_fits()
    {
        var (outcome, report) = Run(Cdnow().Scanned(), _cdnowCalibrationEnd);

        var lifetime = report.GetProperty("lifetime");
        Assert.Equal(2357, lifetime.GetProperty("customers").GetInt32());
        Assert.Equal(0.243, Parameter(lifetime, "r"), 0.0006);
        Assert.Equal(4.414, Parameter(lifetime, "alpha"), 0.0006);
        Assert.Equal(0.793, Parameter(lifetime, "a"), 0.0006);
        Assert.Equal(2.426, Parameter(lifetime, "b"), 0.0006);
        var spend = lifetime.GetProperty("spend");
        Assert.Equal(6.25, Parameter(spend, "p"), 0.006);
        Assert.Equal(3.74, Parameter(spend, "q"), 0.006);
        Assert.Equal(15.44, Parameter(spend, "gamma"), 0.006);

        Assert.Equal(2357, outcome.Predictions.Count);
        Assert.All(outcome.Predictions, p =>
        {
            Assert.InRange(p.PAlive!.Value, 0, 1);
            Assert.True(p.PredictedPurchases90d >= 0);
            Assert.True(p.PredictedClv12m >= 0);
            Assert.InRange(p.RfmScore, 111, 555);
            Assert.All(p.RfmScore.ToString(System.Globalization.CultureInfo.InvariantCulture), d => Assert.InRange(d, '1', '5'));
            Assert.Equal(WorkspaceAnalysis.ChurnRisk(p.PAlive.Value, AnalyticsSettings.Default), p.ChurnRisk);
        });
        var segments = report.GetProperty("rfm").GetProperty("segments").EnumerateArray().ToList();
        Assert.Equal(2357, segments.Sum(s => s.GetProperty("customers").GetInt32()));
        Assert.Equal(segments.Count, segments.Select(s => s.GetProperty("segment").GetString()).Distinct().Count());
    }

    [Fact]
    public void The_back_test_fitted_before_the_holdout_is_the_published_39_week_calibration()
    {
        // History to the end of the CDNOW holdout; holding out its last 273 days leaves the standard calibration period.
        var (_, report) = Run(Cdnow().Scanned(), new DateTimeOffset(1998, 6, 30, 23, 0, 0, TimeSpan.Zero), AnalyticsSettings.Default with { HoldoutDays = 273 });

        var backtest = report.GetProperty("backtest");
        Assert.Equal("1997-09-30", backtest.GetProperty("calibrationEnd").GetString());
        Assert.Equal(0.243, Parameter(backtest, "r"), 0.0006);
        Assert.Equal(2.426, Parameter(backtest, "b"), 0.0006);
        // The comparison the CLI makes on the standard split.
        var data = CdnowSample.Summary;
        var expected = Samlet.Analytics.Lifetime.CustomerValuation.CompareHoldout(Samlet.Analytics.Lifetime.BgNbdModel.Fit(data).Model, data);
        Assert.Equal(expected.Actual, backtest.GetProperty("actual").GetInt64());
        Assert.Equal(expected.Predicted, backtest.GetProperty("predicted").GetDouble(), 0.01);
        Assert.InRange(backtest.GetProperty("correlation").GetDouble(), 0.3, 1);
        var byFrequency = backtest.GetProperty("byFrequency").EnumerateArray().ToList();
        Assert.Equal(2357, byFrequency.Sum(b => b.GetProperty("customers").GetInt32()));
    }

    [Fact]
    public void Predictions_follow_the_published_model_customer_by_customer()
    {
        var (outcome, _) = Run(Cdnow().Scanned(), _cdnowCalibrationEnd);
        var model = new Samlet.Analytics.Lifetime.BgNbdModel(0.243, 4.414, 0.793, 2.426);
        var data = CdnowSample.Summary;
        var byId = outcome.Predictions.ToDictionary(p => p.ProfileId);
        for (var i = 0; i < data.Count; i += 97)
        {
            var prediction = byId["p" + data.CustomerIds[i]];
            Assert.Equal(model.ProbabilityAlive(data.Frequency[i], data.Recency[i], data.Age[i]), prediction.PAlive!.Value, 0.002);
            Assert.Equal(model.ExpectedPurchases(90 / 7.0, data.Frequency[i], data.Recency[i], data.Age[i]), prediction.PredictedPurchases90d!.Value, 0.005);
        }
    }

    [Fact]
    public void No_events_give_a_report_with_reasons_and_no_predictions()
    {
        var (outcome, report) = Run([], _cdnowCalibrationEnd);

        Assert.Empty(outcome.Predictions);
        Assert.NotEmpty(outcome.Warnings);
        Assert.Equal("no orders", report.GetProperty("rfm").GetProperty("error").GetString());
        Assert.True(report.GetProperty("lifetime").TryGetProperty("error", out _));
        Assert.True(report.GetProperty("backtest").TryGetProperty("skipped", out _));
        Assert.True(report.GetProperty("attribution").TryGetProperty("error", out _));
        Assert.Empty(report.GetProperty("cohorts").GetProperty("cohorts").EnumerateArray());
    }

    [Theory]
    [InlineData("single customer")]
    [InlineData("one day")]
    [InlineData("no repeat")]
    [InlineData("no values")]
    public void Degenerate_shops_get_RFM_and_a_reason_instead_of_lifetime_values(string shape)
    {
        var day = ActivityEvents.Day("2026-03-02");
        var events = new ActivityEvents();
        switch (shape)
        {
            case "single customer":
                events.Order("a", day, 10, "x").Order("a", day.AddDays(5), 20, "y");
                break;
            case "one day":
                events.Order("a", day, 10, "x").Order("b", day, 20, "y").Order("c", day, 30, "x", "y");
                break;
            case "no repeat":
                events.Order("a", day, 10, "x").Order("b", day.AddDays(3), 20, "y");
                break;
            default:
                events.Order("a", day, null, "x").Order("a", day.AddDays(4), -5, "x").Order("b", day.AddDays(1), null).Order("b", day.AddDays(9), null, "y");
                break;
        }

        var (outcome, report) = Run(events.Scanned(), day.AddDays(30));

        Assert.DoesNotContain("NaN", outcome.ReportJson, StringComparison.Ordinal);
        Assert.NotEmpty(outcome.Predictions);
        Assert.All(outcome.Predictions, p => Assert.InRange(p.RfmScore, 111, 555));
        if (shape == "no values")
        {
            Assert.Contains(outcome.Warnings, w => w.Contains("without a value", StringComparison.Ordinal));
            Assert.All(outcome.Predictions, p => Assert.Null(p.PredictedClv12m));
            Assert.Equal(3, report.GetProperty("data").GetProperty("ordersWithoutValue").GetInt32());
            Assert.Equal(1, report.GetProperty("data").GetProperty("ordersWithNegativeValue").GetInt32());
        }
        else
        {
            Assert.True(report.GetProperty("lifetime").TryGetProperty("error", out var error));
            Assert.All(outcome.Predictions, p => Assert.Null(p.PAlive));
            Assert.Contains(outcome.Warnings, w => w.Contains(error.GetString()!, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Events_after_the_as_of_time_are_left_out()
    {
        var day = ActivityEvents.Day("2026-03-02");
        var events = new ActivityEvents().Order("a", day, 10, "x").Order("b", day.AddDays(1), 20, "y").Order("c", day.AddDays(40), 30, "z");

        var (outcome, report) = Run(events.Scanned(), day.AddDays(10));

        Assert.Equal(["a", "b"], outcome.Predictions.Select(p => p.ProfileId).Order());
        Assert.Equal(2, report.GetProperty("data").GetProperty("orders").GetInt32());
    }

    [Fact]
    public void Customers_are_recommended_what_others_bought_with_their_products_and_nothing_they_own()
    {
        var day = ActivityEvents.Day("2026-01-05");
        var events = new ActivityEvents();
        for (var i = 0; i < 40; i++)
        {
            // Tents go with sleeping bags, socks with mugs.
            events.Order("c" + i, day.AddDays(i % 7), 50, i % 2 == 0 ? ["tent", "sleeping-bag"] : ["socks", "mug"]);
        }

        events.Order("buyer", day.AddDays(3), 80, "tent");
        var (outcome, report) = Run(events.Scanned(), day.AddDays(20));

        var buyer = outcome.Predictions.Single(p => p.ProfileId == "buyer");
        Assert.Equal("sleeping-bag", buyer.RecommendedProducts[0]);
        Assert.DoesNotContain("tent", buyer.RecommendedProducts);
        var rules = report.GetProperty("rules").GetProperty("rules").EnumerateArray().ToList();
        Assert.Contains(rules, r => r.GetProperty("consequent").GetString() == "sleeping-bag"
            && r.GetProperty("antecedent").EnumerateArray().Select(a => a.GetString()).SequenceEqual(["tent"]));
        Assert.All(rules, r => Assert.NotEmpty(r.GetProperty("antecedent").EnumerateArray()));
    }

    [Fact]
    public void Conversions_are_attributed_to_the_channels_of_the_visits_before_them()
    {
        var day = ActivityEvents.Day("2026-02-02");
        var events = new ActivityEvents()
            // a: e-mail, then a search visit, then buys; later a direct visit that has not converted (yet).
            .Page("a", day, "", campaign: new { source = "newsletter", medium = "email", name = "feb" })
            .Page("a", day.AddMinutes(1), "https://shop.example/start", url: "https://shop.example/p/1", campaign: new { source = "newsletter", medium = "email", name = "feb" })
            .Page("a", day.AddDays(2), "https://www.google.com/")
            .Order("a", day.AddDays(2).AddMinutes(5), 100, "x")
            .Page("a", day.AddDays(5), null)
            // b: a visit long before the lookback, then a paid search visit, then buys.
            .Page("b", day.AddDays(-90), "https://www.reddit.com/r/running/")
            .Page("b", day, "https://www.google.com/", campaign: new { source = "google", medium = "cpc" })
            .Order("b", day.AddHours(1), 50, "y");

        var (_, report) = Run(events.Scanned(), day.AddDays(10));

        var attribution = report.GetProperty("attribution");
        Assert.Equal(2, attribution.GetProperty("totalConversions").GetDouble());
        Assert.Equal(150, attribution.GetProperty("totalConversionValue").GetDouble());
        Assert.Equal(1, attribution.GetProperty("totalNulls").GetDouble());
        Assert.Equal(["Direct", "Email", "Organic Search", "Paid Search"], attribution.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        var lastTouch = attribution.GetProperty("models").GetProperty("last_touch").EnumerateArray()
            .ToDictionary(c => c.GetProperty("channel").GetString()!, c => c.GetProperty("conversions").GetDouble());
        Assert.Equal(1, lastTouch["Organic Search"]);
        Assert.Equal(1, lastTouch["Paid Search"]);
        Assert.Equal(0, lastTouch["Email"]);
        var firstTouch = attribution.GetProperty("models").GetProperty("first_touch").EnumerateArray()
            .ToDictionary(c => c.GetProperty("channel").GetString()!, c => c.GetProperty("conversions").GetDouble());
        Assert.Equal(1, firstTouch["Email"]);
    }

    [Fact]
    public void Funnels_and_cohorts_come_from_the_profiles_events()
    {
        var day = ActivityEvents.Day("2026-01-05");
        var events = new ActivityEvents()
            .Track("a", day, "Product Viewed").Track("a", day.AddMinutes(1), "Product Added").Track("a", day.AddMinutes(2), "Checkout Started").Order("a", day.AddMinutes(3), 10, "x")
            .Track("b", day, "Product Viewed").Track("b", day.AddMinutes(1), "Product Added")
            .Track("c", day.AddDays(40), "Product Viewed")
            .Track("a", day.AddDays(35), "Product Viewed");

        var (_, report) = Run(events.Scanned(), day.AddDays(60));

        var steps = report.GetProperty("funnels")[0].GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("users").GetInt32());
        Assert.Equal([3, 2, 1, 1], steps);
        var cohorts = report.GetProperty("cohorts").GetProperty("cohorts").EnumerateArray().ToList();
        Assert.Equal(["2026-01-01", "2026-02-01"], cohorts.Select(c => c.GetProperty("start").GetString()));
        Assert.Equal(2, cohorts[0].GetProperty("size").GetInt32());
        // a came back in February, b did not.
        Assert.Equal([2, 1], cohorts[0].GetProperty("activeUsers").EnumerateArray().Select(a => a.GetInt32()).Take(2));
    }
}
