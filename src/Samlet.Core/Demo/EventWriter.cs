using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Samlet.Demo;

/// <summary>
/// Serialises Segment messages with <see cref="Utf8JsonWriter"/> into a <see cref="SessionBuffer"/>:
/// the envelope (type, messageId, ids, timestamp), a context that looks like the SDK the event came
/// from (analytics.js, analytics-swift/kotlin, analytics-node) and the planted bad data.
/// </summary>
internal sealed class EventWriter
{
    public const string AppVersion = "5.3.0";
    public const string AppBuild = "530";

    private static readonly JsonWriterOptions _jsonOptions = new()
    {
        // Relaxed escaping keeps '+' in phone numbers and non-ASCII names readable; the output is still valid JSON.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly Utf8JsonWriter _json = new(new ArrayBufferWriter<byte>(), _jsonOptions);
    private readonly BadDataRates _bad;
    private readonly long _endMs;
    private SessionBuffer _buffer = null!;
    private Customer _customer = null!;
    private Device _device = null!;
    private DemoRandom _rng = null!;
    private Visit? _pageVisit;
    private int _start;
    private long _ms;
    private bool _server;
    private bool _innerOpen;
    private bool _duplicate;
    private bool _malformed;

    public EventWriter(long endMs, BadDataRates bad) => (_endMs, _bad) = (endMs, bad);

    /// <summary>The browser's current page, reported in <c>context.page</c> of web events.</summary>
    public PageView Page { get; private set; }

    public void BeginSession(SessionBuffer buffer, Customer customer, Device device)
    {
        _buffer = buffer;
        _customer = customer;
        _device = device;
        _rng = customer.Rng;
        _pageVisit = null;
        Page = default;
        _json.Reset(buffer);
    }

    public void PageEvent(long ms, string name, PageView view, Visit? landing)
    {
        Page = view;
        _pageVisit = landing is { HasUtm: true } ? landing : null;
        Begin("page"u8, ms, server: false, track: false);
        _json.WriteString("name"u8, name);
        _json.WriteStartObject("properties"u8);
        _json.WriteString("name"u8, name);
        WritePageFields(view);
        _innerOpen = true;
        End();
    }

    public void Screen(long ms, string name, Product? product)
    {
        Begin("screen"u8, ms, server: false, track: false);
        _json.WriteString("name"u8, name);
        _json.WriteStartObject("properties"u8);
        _json.WriteString("name"u8, name);
        if (product is not null)
        {
            _json.WriteString("product_id"u8, product.Id);
        }

        _innerOpen = true;
        End();
    }

    /// <summary>Starts a track call; write the properties, then call <see cref="End"/>.</summary>
    public Utf8JsonWriter BeginTrack(long ms, string name, bool server = false)
    {
        if (Begin("track"u8, ms, server, track: true))
        {
            _json.WriteString("event"u8, name);
        }

        _json.WriteStartObject("properties"u8);
        _innerOpen = true;
        return _json;
    }

    /// <summary>Starts an identify call; write the traits, then call <see cref="End"/>.</summary>
    public Utf8JsonWriter BeginIdentify(long ms)
    {
        Begin("identify"u8, ms, server: false, track: false);
        _json.WriteStartObject("traits"u8);
        _innerOpen = true;
        return _json;
    }

    /// <summary>Starts a group call; write the group traits, then call <see cref="End"/>.</summary>
    public Utf8JsonWriter BeginGroup(long ms, string groupId)
    {
        Begin("group"u8, ms, server: false, track: false);
        _json.WriteString("groupId"u8, groupId);
        _json.WriteStartObject("traits"u8);
        _innerOpen = true;
        return _json;
    }

    public void Alias(long ms, string previousId)
    {
        Begin("alias"u8, ms, server: false, track: false);
        _json.WriteString("previousId"u8, previousId);
        End();
    }

    public void End()
    {
        if (_innerOpen)
        {
            _json.WriteEndObject();
            _innerOpen = false;
        }

        WriteContext();
        Span<byte> timestamp = stackalloc byte[IsoTimestamp.Length];
        IsoTimestamp.Format(_ms, timestamp);
        _json.WriteString("timestamp"u8, timestamp);
        _json.WriteEndObject();
        _json.Flush();
        _json.Reset();
        if (_ms > _endMs)
        {
            _buffer.DropBytesFrom(_start);
            return;
        }

        _buffer.Add(_ms, _start, _buffer.Length - _start);
        if (_duplicate)
        {
            _buffer.DuplicateLast();
        }
        else if (_malformed)
        {
            _buffer.TruncateLast(_rng.Uniform(0.3, 0.9));
        }
    }

    /// <summary>Writes money held in cents as a JSON number with two decimals.</summary>
    public static void WriteMoney(Utf8JsonWriter json, ReadOnlySpan<byte> name, long cents) =>
        json.WriteNumber(name, new decimal((int)(cents & 0xFFFFFFFF), (int)(cents >> 32), 0, false, 2));

    /// <summary>Returns false when the event name must be left out (bad data).</summary>
    private bool Begin(ReadOnlySpan<byte> type, long ms, bool server, bool track)
    {
        _start = _buffer.Length;
        _ms = ms;
        _server = server;
        _duplicate = false;
        _malformed = false;
        var anonymousId = server ? null : _device.AnonymousId;
        var userId = server || _device.LoggedIn ? _customer.UserId : null;
        var withEventName = true;

        var u = _rng.NextDouble();
        if (u < _bad.PlaceholderId)
        {
            // A client that stringified a missing id.
            var placeholder = _rng.Chance(0.5) ? "undefined" : "null";
            if (userId is not null)
            {
                userId = placeholder;
            }
            else
            {
                anonymousId = placeholder;
            }
        }
        else if ((u -= _bad.PlaceholderId) < _bad.MissingIds)
        {
            (userId, anonymousId) = (null, null);
        }
        else if ((u -= _bad.MissingIds) < _bad.TrackWithoutEvent)
        {
            withEventName = !track;
        }
        else if ((u -= _bad.TrackWithoutEvent) < _bad.DuplicateMessage)
        {
            _duplicate = true;
        }
        else if ((u -= _bad.DuplicateMessage) < _bad.MalformedLine)
        {
            _malformed = true;
        }

        _json.WriteStartObject();
        _json.WriteString("type"u8, type);
        WriteMessageId(ms, server);
        if (anonymousId is not null)
        {
            _json.WriteString("anonymousId"u8, anonymousId);
        }

        if (userId is not null)
        {
            _json.WriteString("userId"u8, userId);
        }

        return withEventName;
    }

    private void WriteMessageId(long ms, bool server)
    {
        Span<char> id = stackalloc char[64];
        var length = 0;
        if (server || !_device.IsApp)
        {
            var prefix = server ? "node-next-" : "ajs-next-";
            prefix.CopyTo(id);
            length = prefix.Length;
            ms.TryFormat(id[length..], out var written, default, CultureInfo.InvariantCulture);
            length += written;
            id[length++] = '-';
        }

        _rng.WriteUuid(id[length..]);
        length += 36;
        if (!server && _device.IsApp)
        {
            // Mobile SDKs send the platform UUID string, upper case on iOS.
            for (var i = 0; i < length && _device.Kind == DeviceKind.Ios; i++)
            {
                id[i] = char.ToUpperInvariant(id[i]);
            }
        }

        _json.WriteString("messageId"u8, id[..length]);
    }

    private void WriteContext()
    {
        _json.WriteStartObject("context"u8);
        _json.WriteString("ip"u8, _device.Ip);
        if (_server)
        {
            WriteLibrary("@segment/analytics-node", "3.1.0");
            _json.WriteEndObject();
            return;
        }

        _json.WriteString("locale"u8, _customer.Person.Country.Locale);
        _json.WriteString("timezone"u8, _customer.Person.TimeZone);
        if (_device.IsApp)
        {
            WriteAppContext();
        }
        else
        {
            _json.WriteString("userAgent"u8, _device.UserAgent);
            WriteLibrary("analytics.js", "npm:next-1.84.3");
            _json.WriteStartObject("page"u8);
            WritePageFields(Page);
            _json.WriteEndObject();
            if (_pageVisit is { } visit)
            {
                _json.WriteStartObject("campaign"u8);
                _json.WriteString("name"u8, visit.Campaign);
                _json.WriteString("source"u8, visit.Source);
                _json.WriteString("medium"u8, visit.Medium);
                if (visit.Term is not null)
                {
                    _json.WriteString("term"u8, visit.Term);
                }

                if (visit.Content is not null)
                {
                    _json.WriteString("content"u8, visit.Content);
                }

                _json.WriteEndObject();
            }
        }

        if (_device.Consent is { } consent)
        {
            _json.WriteStartObject("consent"u8);
            _json.WriteStartObject("categoryPreferences"u8);
            WriteConsentCategories(_json, consent);
            _json.WriteEndObject();
            _json.WriteEndObject();
        }

        _json.WriteEndObject();
    }

    public static void WriteConsentCategories(Utf8JsonWriter json, ConsentChoice consent)
    {
        json.WriteBoolean("necessary"u8, true);
        json.WriteBoolean("analytics"u8, consent.Analytics);
        json.WriteBoolean("marketing"u8, consent.Marketing);
        json.WriteBoolean("personalization"u8, consent.Personalization);
    }

    private void WriteAppContext()
    {
        var ios = _device.Kind == DeviceKind.Ios;
        if (ios)
        {
            WriteLibrary("analytics-swift", "1.8.0");
        }
        else
        {
            WriteLibrary("analytics-kotlin", "1.19.1");
        }

        _json.WriteStartObject("app"u8);
        _json.WriteString("name"u8, Catalog.ShopName);
        _json.WriteString("version"u8, AppVersion);
        _json.WriteString("build"u8, AppBuild);
        _json.WriteString("namespace"u8, "com.example.samletshop");
        _json.WriteEndObject();
        _json.WriteStartObject("device"u8);
        _json.WriteString("id"u8, _device.DeviceId);
        if (_device.AdvertisingId is not null)
        {
            _json.WriteString("advertisingId"u8, _device.AdvertisingId);
        }

        _json.WriteBoolean("adTrackingEnabled"u8, _device.AdvertisingId is not null);
        _json.WriteString("manufacturer"u8, _device.Manufacturer);
        _json.WriteString("model"u8, _device.Model);
        _json.WriteString("type"u8, ios ? "ios" : "android");
        _json.WriteEndObject();
        _json.WriteStartObject("os"u8);
        _json.WriteString("name"u8, ios ? "iOS" : "Android");
        _json.WriteString("version"u8, _device.OsVersion);
        _json.WriteEndObject();
    }

    private void WriteLibrary(string name, string version)
    {
        _json.WriteStartObject("library"u8);
        _json.WriteString("name"u8, name);
        _json.WriteString("version"u8, version);
        _json.WriteEndObject();
    }

    private void WritePageFields(in PageView view)
    {
        _json.WriteString("path"u8, view.Path);
        _json.WriteString("referrer"u8, view.Referrer);
        _json.WriteString("search"u8, view.Search);
        _json.WriteString("title"u8, view.Title);
        _json.WriteString("url"u8, view.Url);
    }
}
