using System.Text.Json;

namespace Samlet.Analytics.Runs;

/// <summary>
/// The marketing channel an event's visit came from, for attribution journeys: UTM parameters
/// (<c>context.campaign</c>, as analytics.js reports them) first, then the referrer. Visits from the site itself are
/// no touch (null); a page without referrer or campaign is <see cref="Direct"/>.
/// </summary>
public static class ChannelClassifier
{
    public const string Direct = "Direct";

    private static readonly string[] _searchEngines = ["google.", "bing.", "duckduckgo.", "yahoo.", "ecosia.", "baidu.", "yandex.", "search.brave.", "startpage."];
    private static readonly string[] _socialNetworks =
        ["facebook.", "instagram.", "t.co", "twitter.", "x.com", "linkedin.", "lnkd.in", "pinterest.", "tiktok.", "reddit.", "youtube.", "snapchat.", "threads.net"];

    /// <summary>The channel of one event's visit, or null when the event is no touch.</summary>
    public static string? Classify(JsonElement payload)
    {
        var context = Child(payload, "context");
        var campaign = Child(context, "campaign");
        var medium = Text(campaign, "medium");
        var source = Text(campaign, "source");
        if (medium is not null || source is not null)
        {
            return FromCampaign(source?.ToLowerInvariant() ?? "", medium?.ToLowerInvariant() ?? "");
        }

        var page = Child(context, "page");
        var properties = Child(payload, "properties");
        var referrer = Text(page, "referrer") ?? Text(properties, "referrer");
        var url = Text(page, "url") ?? Text(properties, "url");
        var isPage = Text(payload, "type") == "page";
        if (string.IsNullOrWhiteSpace(referrer))
        {
            // Only a page view starts a visit; other events without referrer say nothing about where it came from.
            return isPage ? Direct : null;
        }

        if (!Uri.TryCreate(referrer, UriKind.Absolute, out var from))
        {
            return null;
        }

        if (url is not null && Uri.TryCreate(url, UriKind.Absolute, out var to) && SameSite(from.Host, to.Host))
        {
            return null;
        }

        var host = from.Host.ToLowerInvariant();
        return Matches(host, _searchEngines) ? "Organic Search" : Matches(host, _socialNetworks) ? "Organic Social" : "Referral";
    }

    private static string FromCampaign(string source, string medium)
    {
        var social = Matches(source + ".", _socialNetworks) || source is "fb" or "ig" or "meta";
        return medium switch
        {
            "cpc" or "ppc" or "paid" or "paidsearch" or "paid_search" or "paid-search" => social ? "Paid Social" : "Paid Search",
            "paid_social" or "paidsocial" or "paid-social" or "social_paid" or "social-paid" => "Paid Social",
            "email" or "e-mail" or "e_mail" or "newsletter" => "Email",
            "affiliate" or "affiliates" or "partner" => "Affiliate",
            "social" or "social-network" or "social_network" or "sm" or "social-media" => "Organic Social",
            "organic" => "Organic Search",
            "referral" => "Referral",
            "display" or "banner" or "cpm" or "programmatic" => "Display",
            "sms" => "SMS",
            "push" => "Push",
            _ when social => "Organic Social",
            _ when source.Length > 0 && Matches(source + ".", _searchEngines) => "Organic Search",
            _ => "Other Campaign",
        };
    }

    // www.shop.example and shop.example are one site.
    private static bool SameSite(string a, string b) =>
        string.Equals(Bare(a), Bare(b), StringComparison.OrdinalIgnoreCase);

    private static string Bare(string host) => host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? host[4..] : host;

    private static bool Matches(string host, string[] names)
    {
        foreach (var name in names)
        {
            var at = host.IndexOf(name, StringComparison.Ordinal);
            // At the start of the host or of a label: "l.facebook.com", "www.google.de", not "notgoogle.example".
            if (at == 0 || (at > 0 && host[at - 1] == '.'))
            {
                return true;
            }
        }

        return false;
    }

    private static JsonElement Child(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) ? child : default;

    private static string? Text(JsonElement element, string name) =>
        Child(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
}
