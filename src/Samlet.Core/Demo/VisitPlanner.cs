using System.Globalization;

namespace Samlet.Demo;

/// <summary>
/// Picks the channel of each session. Purchase sessions come more often from e-mail, paid search and
/// direct, first visits from search and social, so multi-touch attribution has something to find.
/// </summary>
internal static class VisitPlanner
{
    // Direct, Organic, PaidSearch, PaidSocial, Email, Referral, Affiliate
    private static readonly double[] _firstVisit = [12, 25, 25, 20, 0, 10, 8];
    private static readonly double[] _browse = [30, 20, 10, 15, 15, 5, 5];
    private static readonly double[] _purchase = [30, 15, 20, 5, 20, 3, 7];

    private static readonly string[] _adContents = ["ad_a", "ad_b", "ad_c"];
    private static readonly string[] _socialContents = ["video_15s", "carousel", "static_1", "static_2"];
    private static readonly string[] _emailContents = ["hero", "product_grid", "footer_link"];
    private static readonly (string Source, string Referrer)[] _affiliates =
        [("dealhub", "https://dealhub.example/deals/"), ("cashbackly", "https://cashbackly.example/store/samlet-shop"), ("thekitlist", "https://thekitlist.example/gear/")];

    private static readonly Dictionary<string, string[]> _blogs = new()
    {
        ["Running"] = ["https://trailtalk.example/reviews/best-running-shoes", "https://www.reddit.com/r/running/", "https://marathonmind.example/gear-guide"],
        ["Coffee"] = ["https://brewguide.example/grinders-compared", "https://www.reddit.com/r/Coffee/", "https://morningcup.example/beans-of-the-month"],
        ["Yoga"] = ["https://flowjournal.example/home-practice-kit"],
        ["Outdoors"] = ["https://basecampnotes.example/first-tent", "https://www.reddit.com/r/CampingGear/"],
    };

    public static Visit Choose(DemoRandom rng, Customer customer, bool purchase, ProductCategory anchor, long ms)
    {
        Span<double> weights = stackalloc double[7];
        (customer.Sessions == 0 ? _firstVisit : purchase ? _purchase : _browse).CopyTo(weights);
        if (!customer.Registered || customer.Consent is { Marketing: false })
        {
            weights[(int)Channel.Email] = 0;
        }

        var channel = (Channel)rng.PickWeighted(weights);
        var department = anchor.Spec.Department.ToLowerInvariant();
        switch (channel)
        {
            case Channel.OrganicSearch:
                return new Visit(channel, null, null, null, null, null, rng.Next(20) switch
                {
                    < 14 => "https://www.google.com/",
                    < 17 => "https://www.bing.com/",
                    _ => "https://duckduckgo.com/",
                });

            case Channel.PaidSearch:
                {
                    var google = rng.Chance(0.85);
                    var brand = rng.Chance(0.3);
                    return new Visit(
                        channel, google ? "google" : "bing", "cpc",
                        brand ? "brand_search" : rng.Chance(0.5) ? "generic_" + department : "shopping_" + department,
                        brand ? "samlet shop" : anchor.SearchQuery, rng.Pick(_adContents),
                        google ? "https://www.google.com/" : "https://www.bing.com/");
                }

            case Channel.PaidSocial:
                {
                    var facebook = rng.Chance(0.6);
                    return new Visit(
                        channel, facebook ? "facebook" : "instagram", "paid_social", SeasonalCampaign(ms), null, rng.Pick(_socialContents),
                        facebook ? "https://l.facebook.com/" : "https://l.instagram.com/");
                }

            case Channel.Email:
                return new Visit(channel, "newsletter", "email", EmailCampaign(rng, customer, ms), null, rng.Pick(_emailContents), "");

            case Channel.Referral:
                return new Visit(channel, null, null, null, null, null,
                    _blogs.TryGetValue(anchor.Spec.Department, out var blogs) ? rng.Pick(blogs) : "https://giftideas.example/this-week");

            case Channel.Affiliate:
                {
                    var (source, referrer) = rng.Pick(_affiliates);
                    return new Visit(channel, source, "affiliate", "affiliate_program", null, "link_" + department, referrer);
                }

            default:
                return new Visit(channel, null, null, null, null, null, "");
        }
    }

    public static string SeasonalCampaign(long ms)
    {
        var date = DateOnly.FromDateTime(DateTime.UnixEpoch.AddMilliseconds(ms));
        var blackFriday = ActivityCalendar.BlackFriday(date.Year);
        if (date >= blackFriday.AddDays(-7) && date <= blackFriday.AddDays(3))
        {
            return "black_friday_" + date.Year.ToString(CultureInfo.InvariantCulture);
        }

        return date.Month switch
        {
            1 => "new_year_fitness",
            2 or 3 => "spring_refresh",
            4 or 5 => "outdoor_season",
            6 or 7 or 8 => "summer_sale",
            9 or 10 => "autumn_coffee",
            11 => "holiday_preview",
            _ => "holiday_gifts",
        };
    }

    private static string EmailCampaign(DemoRandom rng, Customer customer, long ms)
    {
        if (customer.AbandonedCart && rng.Chance(0.6))
        {
            return "abandoned_cart";
        }

        if (ms - customer.SignedUpMs < 14 * 86_400_000L && rng.Chance(0.5))
        {
            return "welcome_series";
        }

        if (customer.Orders > 0 && ms - customer.LastOrderMs > 90 * 86_400_000L && rng.Chance(0.5))
        {
            return "winback";
        }

        var date = DateTime.UnixEpoch.AddMilliseconds(ms);
        return "newsletter_" + ISOWeek.GetYear(date).ToString(CultureInfo.InvariantCulture) + "_w"
            + ISOWeek.GetWeekOfYear(date).ToString("D2", CultureInfo.InvariantCulture);
    }
}
