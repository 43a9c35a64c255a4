using System.Text.Json;

namespace Samlet.Benchmarks.Load;

/// <summary>
/// Writes realistic Segment `track` "Product Viewed" events (about 800 bytes each) for a pool of 100,000 users.
/// The content is synthetic but shaped like analytics.js traffic; only the messageId changes per request.
/// </summary>
internal sealed class TrackEventWriter(Random random, DateTime origin)
{
    public const int UserPool = 100_000;

    // A GUID-shaped placeholder; PayloadRing overwrites it with a unique id before every send.
    public const string MessageIdPlaceholder = "00000000-0000-0000-0000-000000000000";

    private static readonly string[] _adjectives = ["Classic", "Organic", "Slim", "Waterproof", "Wireless", "Vintage", "Merino", "Recycled"];
    private static readonly string[] _nouns = ["Running Shoe", "Backpack", "Desk Lamp", "Rain Jacket", "Headphones", "Coffee Grinder", "Wool Sweater", "Water Bottle"];
    private static readonly string[] _categories = ["Footwear", "Bags", "Home", "Outerwear", "Electronics", "Kitchen", "Knitwear", "Outdoor"];
    private static readonly string[] _referrers = ["https://www.google.com/", "https://www.bing.com/", "https://www.instagram.com/", "https://shop.example.com/"];
    private static readonly string[] _userAgents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    ];

    public void Write(Utf8JsonWriter json)
    {
        var user = random.Next(UserPool);
        var product = random.Next(500);
        var name = $"{_adjectives[product % 8]} {_nouns[product / 8 % 8]}";
        var slug = name.ToLowerInvariant().Replace(' ', '-') + "-" + product;
        var category = _categories[product / 8 % 8];

        json.WriteStartObject();
        json.WriteString("type", "track");
        json.WriteString("event", "Product Viewed");
        json.WriteString("messageId", MessageIdPlaceholder);
        json.WriteString("anonymousId", AnonymousId(user));
        if (user % 10 < 7)
        {
            json.WriteString("userId", $"user-{user:D6}"); // 70% of the traffic is logged in
        }
        json.WriteString("timestamp", origin.AddMilliseconds(-random.Next(60_000)).ToString("O"));
        json.WriteStartObject("context");
        json.WriteString("ip", $"203.0.{user / 256 % 256}.{user % 256}");
        json.WriteString("userAgent", _userAgents[user % _userAgents.Length]);
        json.WriteString("locale", "en-US");
        json.WriteString("timezone", "Europe/Copenhagen");
        json.WriteStartObject("page");
        json.WriteString("path", $"/products/{slug}");
        json.WriteString("referrer", _referrers[random.Next(_referrers.Length)]);
        json.WriteString("search", "");
        json.WriteString("title", $"{name} | Example Shop");
        json.WriteString("url", $"https://shop.example.com/products/{slug}");
        json.WriteEndObject();
        json.WriteStartObject("library");
        json.WriteString("name", "analytics.js");
        json.WriteString("version", "npm:next-1.84.3");
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartObject("properties");
        json.WriteString("product_id", $"prod-{product:D5}");
        json.WriteString("sku", $"SKU-{category[..3].ToUpperInvariant()}-{product:D5}");
        json.WriteString("name", name);
        json.WriteNumber("price", 9.95m + product % 40 * 5);
        json.WriteString("category", category);
        json.WriteString("currency", "USD");
        json.WriteEndObject();
        json.WriteStartObject("integrations");
        json.WriteEndObject();
        json.WriteEndObject();
    }

    // Stable per user, so the same visitor keeps one anonymousId across events.
    private static string AnonymousId(int user)
    {
        Span<byte> bytes = stackalloc byte[16];
        new Random(user).NextBytes(bytes);
        return new Guid(bytes).ToString();
    }
}
