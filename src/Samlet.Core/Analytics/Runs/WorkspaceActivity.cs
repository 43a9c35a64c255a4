using System.Globalization;
using System.Text.Json;
using Samlet.Analytics.Attribution;
using Samlet.Analytics.Journeys;
using Samlet.Analytics.Transactions;
using Samlet.Events;
using Samlet.Storage;

namespace Samlet.Analytics.Runs;

/// <summary>
/// What the analytics job needs from a workspace's events, gathered in one pass over the store's profile scan
/// (events grouped by profile): orders with their value and products, attribution journeys, funnel steps and
/// cohort activity. Events after <see cref="AsOf"/> are left out, so a run describes the workspace as of that time.
/// </summary>
public sealed class WorkspaceActivity
{
    // Touches of one channel this close together are one visit (every page of a landing visit may carry its UTMs).
    private static readonly TimeSpan _visit = TimeSpan.FromMinutes(30);

    private readonly AnalyticsSettings _settings;
    private readonly HashSet<string> _funnelSteps;
    private readonly CohortPeriod _period;
    private readonly List<UserEvent> _funnelEvents = [];
    private readonly List<(DateTimeOffset At, string Channel)> _touches = [];
    private readonly List<(DateTimeOffset At, double Value)> _conversions = [];
    private readonly Dictionary<long, DateTimeOffset> _activePeriods = [];
    private readonly Dictionary<string, string> _products = new(StringComparer.Ordinal);
    private readonly List<ConversionPath> _journeys = [];
    private (int Conversions, double Value) _untouched;
    private string? _profile;
    private DateTimeOffset? _firstSeen;
    private DateTimeOffset? _lastSeen;

    public WorkspaceActivity(AnalyticsSettings settings, DateTimeOffset asOf)
    {
        _settings = settings;
        AsOf = asOf;
        _funnelSteps = new HashSet<string>(settings.Funnels.SelectMany(f => f.Steps), StringComparer.Ordinal);
        _period = settings.CohortPeriod == "week" ? CohortPeriod.Week : CohortPeriod.Month;
        Funnels = [.. settings.Funnels.Select(f => new FunnelCounter(f.Steps, TimeSpan.FromDays(f.WindowDays)))];
        Cohorts = new CohortCounter(_period, settings.ActivityEvent);
    }

    public DateTimeOffset AsOf { get; }

    /// <summary>The events whose payload the scan must read.</summary>
    public static ProfileEventScan ScanOf(AnalyticsSettings settings, IReadOnlyList<string> sourceIds) =>
        new(sourceIds, new HashSet<string>([settings.OrderEvent, settings.Conversion], StringComparer.Ordinal), [EventType.Page]);

    public int Profiles { get; private set; }

    public long Events { get; private set; }

    /// <summary>One per order: the profile, its UTC day and value (0 when it had none or a negative one).</summary>
    public List<Transaction> Orders { get; } = [];

    /// <summary>The products of each order (orders without products have none).</summary>
    public List<string[]> Baskets { get; } = [];

    /// <summary>Products each customer has bought.</summary>
    public Dictionary<string, HashSet<string>> Owned { get; } = new(StringComparer.Ordinal);

    public int OrdersWithoutValue { get; private set; }

    public int OrdersWithNegativeValue { get; private set; }

    /// <summary>Attribution journeys; those of conversions without any touch are one path with their count and value.</summary>
    public IReadOnlyList<ConversionPath> Journeys =>
        _untouched.Conversions > 0 ? [.. _journeys, new ConversionPath([], _untouched.Conversions, _untouched.Value)] : _journeys;

    /// <summary>One per funnel of the settings, counted profile by profile.</summary>
    public IReadOnlyList<FunnelCounter> Funnels { get; }

    /// <summary>Cohort retention, counted profile by profile from each one's first and last event and first activity per period.</summary>
    public CohortCounter Cohorts { get; }

    public void Add(in ProfileEvent e)
    {
        if (!string.Equals(e.ProfileId, _profile, StringComparison.Ordinal))
        {
            Complete();
            _profile = e.ProfileId;
            Profiles++;
        }

        if (e.Timestamp > AsOf)
        {
            return;
        }

        Events++;
        if (_firstSeen is not { } first || e.Timestamp < first)
        {
            _firstSeen = e.Timestamp;
        }

        if (_lastSeen is not { } last || e.Timestamp > last)
        {
            _lastSeen = e.Timestamp;
        }

        var name = e.Type == EventType.Track ? e.EventName : null;
        if (_settings.ActivityEvent is null || name == _settings.ActivityEvent)
        {
            var period = CohortRetention.PeriodIndex(e.Timestamp, _period);
            if (!_activePeriods.TryGetValue(period, out var seen) || e.Timestamp < seen)
            {
                _activePeriods[period] = e.Timestamp;
            }
        }

        if (name is not null && _funnelSteps.Contains(name))
        {
            _funnelEvents.Add(new UserEvent(_profile!, name, e.Timestamp));
        }

        if (e.Payload.IsEmpty)
        {
            return;
        }

        using var document = Parse(e.Payload);
        if (document is null)
        {
            return;
        }

        var root = document.RootElement;
        if (name is not null && (name == _settings.OrderEvent || name == _settings.Conversion))
        {
            var value = Value(root);
            if (name == _settings.OrderEvent)
            {
                AddOrder(e, root, value);
            }

            if (name == _settings.Conversion)
            {
                _conversions.Add((e.Timestamp, Math.Max(0, value ?? 0)));
            }
        }

        if (ChannelClassifier.Classify(root) is { } channel)
        {
            _touches.Add((e.Timestamp, channel));
        }
    }

    /// <summary>Finishes the last profile; call once after the scan.</summary>
    public void Complete()
    {
        if (_profile is null)
        {
            return;
        }

        AddJourneys();
        _funnelEvents.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
        foreach (var funnel in Funnels)
        {
            funnel.Add(_funnelEvents);
        }

        if (_firstSeen is { } first && _lastSeen is { } last)
        {
            // The first event puts the profile in its cohort; the last may open a later period; activity is the rest.
            List<UserEvent> cohortEvents = [new(_profile, "", first), .. _activePeriods.Values.Select(at => new UserEvent(_profile, _settings.ActivityEvent ?? "", at)), new(_profile, "", last)];
            cohortEvents.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
            Cohorts.Add(cohortEvents);
        }

        _funnelEvents.Clear();
        _touches.Clear();
        _conversions.Clear();
        _activePeriods.Clear();
        _firstSeen = null;
        _lastSeen = null;
        _profile = null;
    }

    private void AddOrder(in ProfileEvent e, JsonElement root, double? value)
    {
        if (value is null)
        {
            OrdersWithoutValue++;
        }
        else if (value < 0)
        {
            OrdersWithNegativeValue++;
        }

        var day = DateOnly.FromDateTime(e.Timestamp.UtcDateTime);
        var customer = _profile!; // one string per profile, not one per event read
        Orders.Add(new Transaction(customer, day, Math.Max(0, value ?? 0)));
        var products = new List<string>();
        if (root.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            && properties.TryGetProperty("products", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var product in list.EnumerateArray())
            {
                if (ProductId(product) is { } read && !products.Contains(read))
                {
                    // Catalogues are small and orders many: one string per product.
                    if (!_products.TryGetValue(read, out var id))
                    {
                        _products[read] = id = read;
                    }

                    products.Add(id);
                }
            }
        }

        Baskets.Add([.. products]);
        if (products.Count > 0)
        {
            if (!Owned.TryGetValue(customer, out var owned))
            {
                Owned[customer] = owned = new HashSet<string>(StringComparer.Ordinal);
            }

            owned.UnionWith(products);
        }
    }

    // Each conversion is credited to the touches since the previous one within the lookback; touches after the last
    // conversion make a journey that has not converted (yet).
    private void AddJourneys()
    {
        if (_touches.Count == 0 && _conversions.Count == 0)
        {
            return;
        }

        _touches.Sort((a, b) => a.At.CompareTo(b.At));
        _conversions.Sort((a, b) => a.At.CompareTo(b.At));
        var lookback = TimeSpan.FromDays(_settings.LookbackDays);
        var next = 0;
        DateTimeOffset? previous = null;
        foreach (var (at, value) in _conversions)
        {
            var (channels, times) = Visits(ref next, t => t <= at, at - lookback, previous);
            if (channels.Count == 0)
            {
                // Orders without a touch (server-side, app, direct to checkout) are all alike: one path holds them all.
                _untouched = (_untouched.Conversions + 1, _untouched.Value + value);
            }
            else
            {
                _journeys.Add(new ConversionPath(channels, 1, value) { TouchTimes = times, ConvertedAt = at });
            }

            previous = at;
        }

        var (open, openTimes) = Visits(ref next, _ => true, AsOf - lookback, previous);
        if (open.Count > 0)
        {
            _journeys.Add(new ConversionPath(open, 0, 0, 1) { TouchTimes = openTimes });
        }
    }

    private (List<string> Channels, List<DateTimeOffset> Times) Visits(ref int next, Func<DateTimeOffset, bool> upTo, DateTimeOffset from, DateTimeOffset? after)
    {
        var channels = new List<string>();
        var times = new List<DateTimeOffset>();
        for (; next < _touches.Count && upTo(_touches[next].At); next++)
        {
            var (at, channel) = _touches[next];
            if (at < from || (after is { } a && at <= a))
            {
                continue;
            }

            if (channels.Count > 0 && channels[^1] == channel && at - times[^1] <= _visit)
            {
                times[^1] = at;
                continue;
            }

            channels.Add(channel);
            times.Add(at);
        }

        return (channels, times);
    }

    private double? Value(JsonElement root)
    {
        if (!root.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var name in _settings.RevenueProperties)
        {
            if (!properties.TryGetProperty(name, out var value))
            {
                continue;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number))
            {
                return number;
            }

            // Some SDKs send money as text.
            if (value.ValueKind == JsonValueKind.String
                && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number))
            {
                return number;
            }
        }

        return null;
    }

    private static string? ProductId(JsonElement product)
    {
        if (product.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var name in (ReadOnlySpan<string>)["product_id", "sku", "id", "name"])
        {
            if (product.TryGetProperty(name, out var value))
            {
                var text = value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.Number => value.GetRawText(),
                    _ => null,
                };
                if (!string.IsNullOrWhiteSpace(text))
                {
                    return text;
                }
            }
        }

        return null;
    }

    private static JsonDocument? Parse(ReadOnlyMemory<byte> payload)
    {
        try
        {
            return JsonDocument.Parse(payload);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
