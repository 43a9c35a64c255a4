using System.Globalization;
using System.Text;

namespace Samlet.Demo;

/// <summary>The identity a customer signs up with. E-mail domains and most phone ranges are reserved for fiction.</summary>
internal sealed class Person
{
    private static readonly string[] _emailDomains = ["example.com", "example.net", "example.org", "mail.example.com"];
    private static readonly string[] _usAreaCodes = ["212", "617", "312", "512", "303", "206", "503", "415", "213", "404", "612", "718"];

    private Person(CountryProfile country) => Country = country;

    public CountryProfile Country { get; }

    public string FirstName { get; private init; } = "";

    public string LastName { get; private init; } = "";

    public string Email { get; private set; } = "";

    /// <summary>E.164 or a local format; null for the customers who left it empty.</summary>
    public string? Phone { get; private init; }

    public string Street { get; private init; } = "";

    public string City { get; private init; } = "";

    public string State { get; private init; } = "";

    public string PostalCode { get; private init; } = "";

    public string TimeZone { get; private init; } = "";

    public int UtcOffsetHours { get; private init; }

    public static Person Create(DemoRandom rng)
    {
        Span<double> shares = stackalloc double[CountryProfile.All.Length];
        for (var i = 0; i < shares.Length; i++)
        {
            shares[i] = CountryProfile.All[i].Share;
        }

        var country = CountryProfile.All[rng.PickWeighted(shares)];
        var first = rng.Pick(country.FirstNames);
        var last = rng.Pick(country.LastNames);
        var (city, state, postalPrefix) = rng.Pick(country.Cities);
        var (timeZone, offset) = country.ZoneOf(state);
        return new Person(country)
        {
            FirstName = first,
            LastName = last,
            Email = MakeEmail(rng, first, last),
            Phone = rng.Chance(0.25) ? null : MakePhone(rng, country.Code),
            Street = MakeStreet(rng, country),
            City = city,
            State = state,
            PostalCode = MakePostalCode(rng, country.Code, postalPrefix),
            TimeZone = timeZone,
            UtcOffsetHours = offset,
        };
    }

    /// <summary>Replaces the e-mail with a malformed one (bad-data injection).</summary>
    public void BreakEmail(DemoRandom rng, bool testAccount)
    {
        if (testAccount)
        {
            Email = "test@test.com";
            return;
        }

        var local = Ascii(FirstName) + "." + Ascii(LastName);
        Email = rng.Next(4) switch
        {
            0 => local + "@example",
            1 => local + ".example.com",
            2 => FirstName + " " + LastName + "@example.com",
            _ => local + "@@example.com",
        };
    }

    private static string MakeEmail(DemoRandom rng, string first, string last)
    {
        var f = Ascii(first);
        var l = Ascii(last);
        var local = rng.Next(5) switch
        {
            0 => f + "." + l,
            1 => f[0] + l,
            2 => f + l + rng.Next(1, 100).ToString(CultureInfo.InvariantCulture),
            3 => f + "_" + l,
            _ => f + "." + l + rng.Next(1950, 2006).ToString(CultureInfo.InvariantCulture),
        };
        return local + "@" + rng.Pick(_emailDomains);
    }

    private static string MakePhone(DemoRandom rng, string country)
    {
        var e164 = rng.Chance(0.6);
        switch (country)
        {
            case "US":
                {
                    // 555-0100..0199 is the range reserved for fiction.
                    var area = rng.Pick(_usAreaCodes);
                    var line = "01" + rng.Next(100).ToString("D2", CultureInfo.InvariantCulture);
                    return e164 ? "+1" + area + "555" + line
                        : rng.Chance(0.5) ? "(" + area + ") 555-" + line : area + "-555-" + line;
                }

            case "GB":
                {
                    // 07700 900000..900999 is Ofcom's drama range.
                    var tail = rng.Next(1000).ToString("D3", CultureInfo.InvariantCulture);
                    return e164 ? "+447700900" + tail : "07700 900" + tail;
                }

            case "DE":
                {
                    var prefix = "15" + rng.Next(1, 10).ToString(CultureInfo.InvariantCulture);
                    var rest = rng.Next(10_000_000, 100_000_000).ToString(CultureInfo.InvariantCulture);
                    return e164 ? "+49" + prefix + rest : rng.Chance(0.5) ? "0" + prefix + " " + rest : "0" + prefix + "/" + rest;
                }

            default:
                {
                    var digits = rng.Next(20_000_000, 60_000_000).ToString(CultureInfo.InvariantCulture);
                    return e164 ? "+45" + digits
                        : rng.Chance(0.5) ? digits : $"{digits[..2]} {digits[2..4]} {digits[4..6]} {digits[6..]}";
                }
        }
    }

    private static string MakeStreet(DemoRandom rng, CountryProfile country)
    {
        var street = rng.Pick(country.Streets);
        return country.Code switch
        {
            "US" => rng.Next(10, 9900).ToString(CultureInfo.InvariantCulture) + " " + street,
            "GB" => rng.Next(1, 200).ToString(CultureInfo.InvariantCulture) + " " + street,
            _ => street + " " + rng.Next(1, 120).ToString(CultureInfo.InvariantCulture),
        };
    }

    private static string MakePostalCode(DemoRandom rng, string country, string prefix) => country switch
    {
        "GB" => prefix + " " + rng.Next(1, 10).ToString(CultureInfo.InvariantCulture)
            + (char)('A' + rng.Next(26)) + (char)('A' + rng.Next(26)),
        "DK" => prefix + rng.Next(100).ToString("D2", CultureInfo.InvariantCulture),
        _ => prefix + rng.Next(100).ToString("D2", CultureInfo.InvariantCulture),
    };

    /// <summary>Lower-case ASCII for e-mail local parts: ø→o, ü→ue, ß→ss...</summary>
    private static string Ascii(string name)
    {
        var sb = new StringBuilder(name.Length + 2);
        foreach (var ch in name.ToLowerInvariant())
        {
            switch (ch)
            {
                case 'ø' or 'ó' or 'ò': sb.Append('o'); break;
                case 'æ' or 'ä': sb.Append("ae"); break;
                case 'å' or 'á': sb.Append('a'); break;
                case 'ü': sb.Append("ue"); break;
                case 'ö': sb.Append("oe"); break;
                case 'ß': sb.Append("ss"); break;
                case 'é' or 'è': sb.Append('e'); break;
                default:
                    if (char.IsAsciiLetterOrDigit(ch))
                    {
                        sb.Append(ch);
                    }

                    break;
            }
        }

        return sb.ToString();
    }
}
