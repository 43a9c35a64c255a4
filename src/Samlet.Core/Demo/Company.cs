using System.Globalization;

namespace Samlet.Demo;

/// <summary>A business account that B2B buyers belong to (the target of group calls).</summary>
internal sealed record Company(string Id, string Name, string Industry, int Employees, string Plan, string Website, string[] Departments)
{
    private static readonly string[] _prefixes = ["Nordic", "Bright", "Blue Fjord", "Summit", "Harbor", "Granite", "Copper", "Maple", "Aurora", "Birch"];

    private static readonly (string Suffix, string Industry, string[] Departments)[] _kinds =
    [
        ("Cafe", "Food & Beverage", ["Coffee"]),
        ("Roasters", "Food & Beverage", ["Coffee"]),
        ("Fitness", "Health & Fitness", ["Yoga", "Running"]),
        ("Running Club", "Sports", ["Running"]),
        ("Outfitters", "Retail", ["Outdoors", "Running"]),
        ("Labs", "Technology", ["Coffee", "Electronics"]),
        ("Consulting", "Professional Services", ["Coffee", "Electronics"]),
        ("Daycare", "Education", ["Baby", "Books"]),
        ("Hotel", "Hospitality", ["Home", "Beauty", "Coffee"]),
    ];

    private static readonly string[] _plans = ["Business", "Business Plus", "Enterprise"];

    public static Company Create(DemoRandom rng, int index)
    {
        var (suffix, industry, departments) = rng.Pick(_kinds);
        var name = rng.Pick(_prefixes) + " " + suffix;
        var employees = (int)Math.Clamp(Math.Exp(rng.Uniform(1.5, 7.5)), 3, 5000);
        var slug = name.ToLowerInvariant().Replace(' ', '-') + "-" + index.ToString(CultureInfo.InvariantCulture);
        return new Company(
            "acct_" + (1000 + index).ToString(CultureInfo.InvariantCulture), name, industry, employees,
            _plans[employees > 500 ? 2 : employees > 50 ? 1 : 0], "https://" + slug + ".example", departments);
    }
}
