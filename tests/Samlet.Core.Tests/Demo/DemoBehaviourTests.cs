using System.Text.Json;
using System.Text.RegularExpressions;

namespace Samlet.Core.Tests.Demo;

[Collection(DemoSampleCollection.Name)]
public sealed partial class DemoBehaviourTests(DemoSample sample)
{
    [Fact]
    public void Orders_have_consistent_totals()
    {
        var orders = sample.Tracks("Order Completed").Select(e => e.GetProperty("properties")).ToList();

        Assert.True(orders.Count > 500, $"only {orders.Count} orders");
        foreach (var p in orders)
        {
            var products = p.GetProperty("products").EnumerateArray().ToList();
            Assert.NotEmpty(products);
            var items = products.Sum(x => x.GetProperty("price").GetDecimal() * x.GetProperty("quantity").GetInt32());
            var subtotal = p.GetProperty("subtotal").GetDecimal();
            Assert.Equal(items - p.GetProperty("discount").GetDecimal(), subtotal);
            Assert.Equal(subtotal + p.GetProperty("shipping").GetDecimal() + p.GetProperty("tax").GetDecimal(), p.GetProperty("total").GetDecimal());
            Assert.Equal(subtotal, p.GetProperty("revenue").GetDecimal());
            Assert.Equal("USD", p.GetProperty("currency").GetString());
            Assert.All(products, x =>
            {
                foreach (var field in new[] { "product_id", "sku", "name", "category", "brand" })
                {
                    Assert.False(string.IsNullOrEmpty(x.GetProperty(field).GetString()));
                }
            });
        }

        Assert.Equal(orders.Count, orders.Select(p => p.GetProperty("order_id").GetString()).Distinct().Count());
    }

    [Theory]
    [InlineData("Running Shoes", "Running Socks")]
    [InlineData("Running Shoes", "Sports Watches")]
    [InlineData("Coffee Beans", "Coffee Grinders")]
    [InlineData("Coffee Beans", "Mugs")]
    [InlineData("Tents", "Sleeping Bags")]
    [InlineData("Shampoo", "Conditioner")]
    public void Affinity_categories_are_bought_together_more_than_chance(string a, string b)
    {
        var baskets = sample.Tracks("Order Completed")
            .Select(e => e.GetProperty("properties").GetProperty("products").EnumerateArray()
                .Select(x => x.GetProperty("category").GetString()).ToHashSet())
            .ToList();
        double n = baskets.Count;
        var withA = baskets.Count(s => s.Contains(a));
        var withB = baskets.Count(s => s.Contains(b));
        var both = baskets.Count(s => s.Contains(a) && s.Contains(b));

        var lift = both / n / (withA / n * (withB / n));

        Assert.True(both >= 3, $"{a} and {b} together in only {both} orders");
        Assert.True(lift > 1.5, $"lift({a}, {b}) = {lift:F2}");
    }

    [Fact]
    public void Some_buyers_churn_and_go_silent_in_the_last_third()
    {
        var lastThird = sample.Shop.End - ((sample.Shop.End - sample.Shop.Start) / 3);
        var buyers = sample.Tracks("Order Completed").Select(UserId).ToHashSet();
        var lastSeen = new Dictionary<string, DateTimeOffset>();
        foreach (var line in sample.Lines.Where(l => l.Verdict == LineVerdict.Valid))
        {
            if (UserId(line.Document!.RootElement) is { } user)
            {
                lastSeen[user] = line.Event.Timestamp;
            }
        }

        var silent = buyers.Count(b => lastSeen[b!] < lastThird);

        Assert.InRange(silent / (double)buyers.Count, 0.05, 0.8);
    }

    [Fact]
    public void Purchase_counts_are_overdispersed_as_heterogeneous_rates_imply()
    {
        var perBuyer = sample.Tracks("Order Completed").GroupBy(UserId).Select(g => (double)g.Count()).ToList();
        var mean = perBuyer.Average();
        var variance = perBuyer.Sum(x => (x - mean) * (x - mean)) / perBuyer.Count;

        Assert.True(perBuyer.Count(x => x >= 2) > perBuyer.Count / 5, "too few repeat customers");
        Assert.True(variance > 1.5 * mean, $"mean {mean:F2}, variance {variance:F2}");
    }

    [Fact]
    public void Customers_log_in_on_web_and_app_under_one_user_id()
    {
        var byUser = sample.Valid.Where(e => UserId(e) is not null && SegmentMessageRules.String(e, "anonymousId") is not null)
            .GroupBy(e => UserId(e)!)
            .Select(g => (Anonymous: g.Select(e => SegmentMessageRules.String(e, "anonymousId")).ToHashSet(),
                App: g.Any(e => e.GetProperty("context").TryGetProperty("device", out var d) && d.TryGetProperty("id", out _)),
                Web: g.Any(e => e.GetProperty("context").TryGetProperty("userAgent", out _))))
            .ToList();

        Assert.True(byUser.Count(u => u.Anonymous.Count >= 2) > byUser.Count / 10);
        Assert.True(byUser.Count(u => u.App && u.Web) > byUser.Count / 20);
        Assert.Contains(sample.Valid, e => e.GetProperty("context").TryGetProperty("device", out var d) && d.TryGetProperty("advertisingId", out _));
    }

    [Fact]
    public void Consent_context_follows_the_latest_choice_on_each_device()
    {
        var latest = new Dictionary<string, string>();
        var checkedEvents = 0;
        var unknown = 0;
        foreach (var e in sample.Valid)
        {
            var anonymousId = SegmentMessageRules.String(e, "anonymousId");
            if (anonymousId is null)
            {
                continue;
            }

            var context = e.GetProperty("context");
            if (SegmentMessageRules.String(e, "event") == "Consent Updated")
            {
                var categories = e.GetProperty("properties").GetProperty("categories");
                Assert.All(new[] { "analytics", "marketing" }, c => Assert.True(categories.GetProperty(c).ValueKind is JsonValueKind.True or JsonValueKind.False));
                latest[anonymousId] = categories.GetRawText();
            }

            if (context.TryGetProperty("consent", out var consent))
            {
                // The choice itself may have been lost to planted bad data (e.g. a malformed line).
                if (latest.TryGetValue(anonymousId, out var choice))
                {
                    Assert.Equal(choice, consent.GetProperty("categoryPreferences").GetRawText());
                    checkedEvents++;
                }
                else
                {
                    unknown++;
                }
            }
        }

        Assert.True(checkedEvents > 1000);
        Assert.True(unknown < checkedEvents / 50, $"{unknown} events carry a consent never announced on their device");
        Assert.Contains(latest.Values, v => v.Contains("\"marketing\":false", StringComparison.Ordinal));
    }

    [Fact]
    public void Campaigns_span_paid_owned_and_organic_channels()
    {
        var pages = sample.Valid.Where(e => SegmentMessageRules.String(e, "type") == "page").ToList();
        var tagged = pages.Where(e => e.GetProperty("context").TryGetProperty("campaign", out _))
            .Select(e => e.GetProperty("context").GetProperty("campaign"))
            .Select(c => SegmentMessageRules.String(c, "source") + "/" + SegmentMessageRules.String(c, "medium"))
            .ToHashSet();
        var referrers = pages.Select(e => e.GetProperty("properties").GetProperty("referrer").GetString()!).ToList();

        Assert.Superset(new HashSet<string> { "google/cpc", "facebook/paid_social", "newsletter/email", "dealhub/affiliate" }, tagged);
        Assert.Contains(pages, e => !e.GetProperty("context").TryGetProperty("campaign", out _)
            && e.GetProperty("properties").GetProperty("referrer").GetString() == "https://www.google.com/");
        Assert.Contains(referrers, r => r.Length == 0);
        Assert.Contains(referrers, r => r.Contains(".example/", StringComparison.Ordinal) && !r.Contains("shop.example.com", StringComparison.Ordinal));
    }

    [Fact]
    public void Business_buyers_share_groups_and_some_customers_alias_their_anonymous_id()
    {
        var groups = sample.Valid.Where(e => SegmentMessageRules.String(e, "type") == "group").ToList();
        var aliases = sample.Valid.Where(e => SegmentMessageRules.String(e, "type") == "alias").ToList();
        var anonymousIds = sample.Valid.Select(e => SegmentMessageRules.String(e, "anonymousId")).ToHashSet();

        Assert.Contains(groups.GroupBy(g => SegmentMessageRules.String(g, "groupId")), g => g.Select(UserId).Distinct().Count() >= 2);
        Assert.All(groups, g => Assert.NotNull(SegmentMessageRules.String(g.GetProperty("traits"), "industry")));
        Assert.NotEmpty(aliases);
        Assert.All(aliases, a => Assert.Contains(SegmentMessageRules.String(a, "previousId"), anonymousIds));
    }

    [Fact]
    public void Sign_ups_carry_profile_traits_with_mixed_phone_formats_and_some_bad_emails()
    {
        var traits = sample.Valid.Where(e => SegmentMessageRules.String(e, "type") == "identify")
            .Select(e => e.GetProperty("traits")).Where(t => t.TryGetProperty("firstName", out _)).ToList();
        var phones = traits.Select(t => SegmentMessageRules.String(t, "phone")).OfType<string>().ToList();
        var emails = traits.Select(t => SegmentMessageRules.String(t, "email")!).ToList();

        Assert.All(traits, t =>
        {
            Assert.NotNull(SegmentMessageRules.String(t, "lastName"));
            Assert.NotNull(SegmentMessageRules.String(t, "createdAt"));
            Assert.NotNull(SegmentMessageRules.String(t.GetProperty("address"), "postalCode"));
        });
        Assert.InRange(phones.Count(p => E164().IsMatch(p)) / (double)phones.Count, 0.4, 0.8);
        var invalid = emails.Count(m => !EmailShape().IsMatch(m));
        Assert.InRange(invalid, 1, emails.Count / 20);
    }

    private static string? UserId(JsonElement e) => SegmentMessageRules.String(e, "userId");

    [GeneratedRegex(@"^\+[1-9]\d{7,14}$")]
    private static partial Regex E164();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")]
    private static partial Regex EmailShape();
}
