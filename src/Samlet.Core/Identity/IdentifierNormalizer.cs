using System.Diagnostics.CodeAnalysis;
using PhoneNumbers;

namespace Samlet.Identity;

/// <summary>
/// Turns raw values into identifier values: e-mails trimmed, lower-cased and checked (<see cref="EmailSyntax"/>); phones
/// parsed by libphonenumber and kept only when valid for their region, in E.164; every other type trimmed, at most
/// <see cref="MaxLength"/> characters, without control characters, case kept. A value that fails is not an identifier.
/// Thread-safe.
/// </summary>
public sealed class IdentifierNormalizer
{
    /// <summary>The longest identifier value accepted; longer values are refused, not cut.</summary>
    public const int MaxLength = 256;

    private const int MaxPhoneLength = 40;
    private const int MinPhoneDigits = 5;

    // libphonenumber takes ~20 µs per number; RudderStack repeats the phone trait on every event. Refused values are cached as "".
    private const int PhoneCacheSize = 10_000;

    private static readonly PhoneNumberUtil _phones = PhoneNumberUtil.GetInstance();

    // Region codes by name, looked up from spans (e.g. the "GB" of "en-GB") without allocating.
    private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _regions = RegionLookup();

    private readonly Dictionary<(string Raw, string Region), string> _phoneCache = [];

    public IdentifierNormalizer(string defaultRegion = "US")
    {
        if (!TryGetRegion(defaultRegion, out var region))
        {
            throw new ArgumentException($"'{defaultRegion}' is not a region libphonenumber knows; use an ISO 3166 code such as US, GB or DE.", nameof(defaultRegion));
        }

        DefaultRegion = region;
    }

    /// <summary>The region assumed for phone numbers written without a country code when the event gives no better hint.</summary>
    public string DefaultRegion { get; }

    /// <summary>Finds the canonical (upper-case) region code libphonenumber uses, e.g. "gb" → "GB".</summary>
    public static bool TryGetRegion(ReadOnlySpan<char> code, [NotNullWhen(true)] out string? region) =>
        _regions.TryGetValue(code, out region);

    /// <summary>Normalises a value of the given type; <paramref name="regionHint"/> is used for phones without a country code.</summary>
    public bool TryNormalize(string type, string raw, [NotNullWhen(true)] out string? value, string? regionHint = null)
    {
        switch (type)
        {
            case IdentifierTypes.Email:
                var isEmail = EmailSyntax.TryNormalize(raw, out var email);
                value = isEmail ? email : null;
                return isEmail;
            case IdentifierTypes.Phone:
                return TryNormalizePhone(raw, regionHint, out value);
            default:
                return TryNormalizeId(raw, out value);
        }
    }

    /// <summary>Normalises the value of a parsed identifier, e.g. the <c>email:Jane@Example.com</c> of a Profile API path.</summary>
    public bool TryNormalize(Identifier raw, out Identifier identifier)
    {
        var ok = TryNormalize(raw.Type, raw.Value, out var value);
        identifier = ok ? new Identifier(raw.Type, value!) : default;
        return ok;
    }

    public static bool TryNormalizeEmail(string raw, [NotNullWhen(true)] out string? email)
    {
        var ok = EmailSyntax.TryNormalize(raw, out var normal);
        email = ok ? normal : null;
        return ok;
    }

    /// <summary>Parses a phone number (local formats use <paramref name="regionHint"/>, else the default region) into E.164.</summary>
    public bool TryNormalizePhone(string raw, string? regionHint, [NotNullWhen(true)] out string? e164)
    {
        e164 = null;
        var text = raw.AsSpan().Trim();
        if (text.IsEmpty || text.Length > MaxPhoneLength || CountDigits(text) < MinPhoneDigits)
        {
            return false; // cheap refusal: garbage would otherwise cost libphonenumber an exception
        }

        var region = regionHint is not null && TryGetRegion(regionHint, out var hinted) ? hinted : DefaultRegion;
        var key = (raw, region);
        lock (_phoneCache)
        {
            if (_phoneCache.TryGetValue(key, out var cached))
            {
                e164 = cached.Length == 0 ? null : cached;
                return e164 is not null;
            }
        }

        e164 = Parse(raw, region);
        lock (_phoneCache)
        {
            if (_phoneCache.Count >= PhoneCacheSize)
            {
                _phoneCache.Clear();
            }

            _phoneCache[key] = e164 ?? "";
        }

        return e164 is not null;
    }

    /// <summary>Trims; refuses empty values, values over <see cref="MaxLength"/> and values with control characters.</summary>
    public static bool TryNormalizeId(string raw, [NotNullWhen(true)] out string? id)
    {
        id = null;
        var text = raw.AsSpan().Trim();
        if (text.IsEmpty || text.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                return false;
            }
        }

        id = text.Length == raw.Length ? raw : text.ToString();
        return true;
    }

    private static string? Parse(string raw, string region)
    {
        try
        {
            var number = _phones.Parse(raw, region);
            return _phones.IsValidNumber(number) ? _phones.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    private static int CountDigits(ReadOnlySpan<char> text)
    {
        var digits = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
        }

        return digits;
    }

    private static Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> RegionLookup()
    {
        var regions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var region in _phones.GetSupportedRegions())
        {
            regions[region] = region;
        }

        return regions.GetAlternateLookup<ReadOnlySpan<char>>();
    }
}
