using System.Globalization;
using System.Text;
using System.Text.Json;
using Samlet.Events;
using Samlet.Storage;

namespace Samlet.Core.Tests.Analytics.Runs;

/// <summary>Builds the rows the store's profile scan gives the analytics job.</summary>
internal sealed class ActivityEvents
{
    private long _sequence;

    public List<ProfileEvent> Events { get; } = [];

    public ActivityEvents Order(string profile, DateTimeOffset at, double? revenue, params string[] products)
    {
        var properties = new Dictionary<string, object?>();
        if (revenue is { } value)
        {
            properties["revenue"] = value;
        }

        properties["products"] = products.Select(p => new Dictionary<string, object> { ["product_id"] = p, ["price"] = 1 }).ToList();
        return Track(profile, at, "Order Completed", new { type = "track", @event = "Order Completed", properties });
    }

    public ActivityEvents Track(string profile, DateTimeOffset at, string name, object? payload = null) =>
        Add(profile, at, EventType.Track, name, payload);

    public ActivityEvents Page(string profile, DateTimeOffset at, string? referrer, string url = "https://shop.example/", object? campaign = null) =>
        Add(profile, at, EventType.Page, null, new { type = "page", context = new { page = new { referrer, url }, campaign } });

    public ActivityEvents Add(string profile, DateTimeOffset at, EventType type, string? name, object? payload)
    {
        var bytes = payload is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(JsonSerializer.Serialize(payload));
        Events.Add(new ProfileEvent(profile, ++_sequence, type, name, at, bytes));
        return this;
    }

    /// <summary>Grouped by profile, in log order within each profile, as the store scans them.</summary>
    public IEnumerable<ProfileEvent> Scanned() => Events.OrderBy(e => e.ProfileId, StringComparer.Ordinal).ThenBy(e => e.Sequence);

    public static DateTimeOffset Day(string day) =>
        DateTimeOffset.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).AddHours(12);
}
