namespace Samlet.Demo;

/// <summary>Where a demo customer lives: names, places, time zone and tax, per country.</summary>
internal sealed record CountryProfile(
    string Code,
    double Share,
    string Locale,
    string TimeZone,
    int UtcOffsetHours,
    double TaxRate,
    string[] FirstNames,
    string[] LastNames,
    string[] Streets,
    (string City, string State, string PostalPrefix)[] Cities)
{
    public static readonly CountryProfile[] All =
    [
        new("US", 0.62, "en-US", "America/New_York", -5, 0.07,
            ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William", "Barbara",
             "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Chris", "Karen", "Daniel", "Lisa", "Matthew", "Nancy",
             "Anthony", "Ashley", "Mark", "Emily", "Luis", "Maria", "Kevin", "Olivia", "Jason", "Sophia", "Ryan", "Mia", "Wei", "Priya"],
            ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez",
             "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris",
             "Clark", "Lewis", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Nguyen", "Patel", "O'Brien", "Kim"],
            ["Maple Ave", "Oak St", "Pine St", "Cedar Ln", "Elm St", "Washington Blvd", "Lake Dr", "Hillside Rd", "Park Ave", "Main St"],
            [("New York", "NY", "100"), ("Brooklyn", "NY", "112"), ("Boston", "MA", "021"), ("Chicago", "IL", "606"),
             ("Austin", "TX", "787"), ("Denver", "CO", "802"), ("Seattle", "WA", "981"), ("Portland", "OR", "972"),
             ("San Francisco", "CA", "941"), ("Los Angeles", "CA", "900"), ("Atlanta", "GA", "303"), ("Minneapolis", "MN", "554")]),
        new("GB", 0.15, "en-GB", "Europe/London", 0, 0.20,
            ["Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Emily", "Charlie", "Poppy", "Thomas", "Grace",
             "Alfie", "Sophie", "Oscar", "Freya", "William", "Evie", "James", "Ella", "Aisha", "Mohammed"],
            ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright", "Thompson",
             "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Khan", "Patel"],
            ["High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane", "Park Road", "Green Lane", "Kings Road"],
            [("London", "England", "SW1"), ("London", "England", "E2"), ("Manchester", "England", "M4"), ("Bristol", "England", "BS1"),
             ("Leeds", "England", "LS6"), ("Edinburgh", "Scotland", "EH3"), ("Cardiff", "Wales", "CF10"), ("Brighton", "England", "BN1")]),
        new("DE", 0.12, "de-DE", "Europe/Berlin", 1, 0.19,
            ["Lukas", "Anna", "Leon", "Lena", "Finn", "Marie", "Jonas", "Sophie", "Paul", "Emma", "Felix", "Hannah", "Jürgen",
             "Sabine", "Max", "Laura", "Tobias", "Katrin"],
            ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Koch",
             "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Braun", "Zimmermann"],
            ["Hauptstraße", "Schulstraße", "Gartenstraße", "Bahnhofstraße", "Lindenweg", "Bergstraße", "Kirchgasse", "Ringstraße"],
            [("Berlin", "Berlin", "101"), ("Hamburg", "Hamburg", "203"), ("München", "Bayern", "803"), ("Köln", "Nordrhein-Westfalen", "506"),
             ("Frankfurt am Main", "Hessen", "603"), ("Leipzig", "Sachsen", "041"), ("Stuttgart", "Baden-Württemberg", "701")]),
        new("DK", 0.11, "da-DK", "Europe/Copenhagen", 1, 0.25,
            ["Søren", "Mette", "Lars", "Anne", "Mads", "Camilla", "Rasmus", "Louise", "Jens", "Ida", "Frederik", "Freja",
             "Mikkel", "Sofie", "Anders", "Line", "Kasper", "Maja", "Niels", "Astrid"],
            ["Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen", "Rasmussen", "Jørgensen",
             "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen", "Møller", "Mortensen"],
            ["Vestergade", "Nørregade", "Østergade", "Søndergade", "Strandvejen", "Skolevej", "Kirkevej", "Algade"],
            [("København", "Hovedstaden", "21"), ("Aarhus", "Midtjylland", "80"), ("Odense", "Syddanmark", "50"),
             ("Aalborg", "Nordjylland", "90"), ("Roskilde", "Sjælland", "40"), ("Esbjerg", "Syddanmark", "67")]),
    ];

    /// <summary>The tz database zone and standard UTC offset of a region (daylight saving is ignored).</summary>
    public (string TimeZone, int UtcOffsetHours) ZoneOf(string state) => Code != "US" ? (TimeZone, UtcOffsetHours) : state switch
    {
        "IL" or "TX" or "MN" => ("America/Chicago", -6),
        "CO" => ("America/Denver", -7),
        "WA" or "OR" or "CA" => ("America/Los_Angeles", -8),
        _ => (TimeZone, UtcOffsetHours),
    };
}
