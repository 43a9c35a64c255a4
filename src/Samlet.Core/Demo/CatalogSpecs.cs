namespace Samlet.Demo;

/// <summary>
/// The demo shop's assortment: 37 categories, 200 products. The <c>BoughtWith</c> lists are the
/// planted co-purchase structure (shoes with socks, grinders with beans, tents with sleeping bags...).
/// All brands are invented.
/// </summary>
internal static class CatalogSpecs
{
    public static readonly CategorySpec[] All =
    [
        // Running
        new("Running", "Running Shoes", "RSH", "Running Shoe", ["Stridewell", "Pacefox", "Trailmark"],
            ["Tempo", "Glide", "Trail Pro", "Cloudrun", "Marathon Elite", "Daily Trainer", "Tempo Wide", "Racer Lite", "Ultra Grip", "Recovery"],
            79, 189, 3.0, false, [("Running Socks", 0.55), ("Running Shorts", 0.25), ("Sports Watches", 0.15), ("Hydration", 0.15)]),
        new("Running", "Running Socks", "RSO", "Socks", ["Stridewell", "Pacefox"],
            ["Crew Cushion", "No-Show", "Merino Trail", "Compression", "Quarter Lite", "Ultra Thin"],
            9, 24, 2.0, true, [("Running Shoes", 0.12), ("Running Shorts", 0.1)]),
        new("Running", "Sports Watches", "SWT", "GPS Watch", ["Pulsar Gear", "Trailmark"],
            ["Forerun 2", "Summit X", "Pace S", "Endure Pro", "Lap One"],
            149, 499, 1.2, false, [("Running Socks", 0.15), ("Chargers", 0.2)]),
        new("Running", "Running Shorts", "RST", "Shorts", ["Pacefox", "Stridewell"],
            ["Split 3in", "Tight 8in", "Trail 5in", "Lined 7in", "Race Day"],
            25, 60, 1.2, false, [("Running Socks", 0.35), ("Hydration", 0.15)]),
        new("Running", "Hydration", "HYD", "Bottle", ["Trailmark", "Aquaflow"],
            ["Soft Flask", "Handheld", "Vest 5L", "Insulated", "Belt Duo"],
            12, 89, 1.0, false, [("Running Socks", 0.2), ("Headlamps", 0.1)]),
        new("Running", "Headlamps", "HLP", "Headlamp", ["Lumetra", "Trailmark"],
            ["Night Run 400", "Peak 900", "Mini 200", "Ultra 1200", "Rechargeable 600"],
            19, 79, 0.6, false, [("Hydration", 0.15)]),

        // Coffee
        new("Coffee", "Coffee Beans", "CBN", "Coffee Beans", ["Kaffebrand", "Roast & Co", "Morning Ritual"],
            ["Ethiopia Yirgacheffe", "Colombia Huila", "Kenya AA", "Brazil Cerrado", "Guatemala Antigua", "House Espresso",
             "Decaf Swiss Water", "Sumatra Mandheling", "Costa Rica Tarrazu", "Rwanda Nyamasheke", "Holiday Blend", "Dark Roast No. 9"],
            9, 28, 3.5, true, [("Coffee Filters", 0.35), ("Mugs", 0.15), ("Coffee Grinders", 0.08)]),
        new("Coffee", "Coffee Grinders", "CGR", "Grinder", ["Burrmeister", "Kaffebrand"],
            ["Hand Mill", "Conical 40", "Flat 64", "Travel Mini", "Precision Pro"],
            39, 349, 0.8, false, [("Coffee Beans", 0.65), ("Mugs", 0.2)]),
        new("Coffee", "Mugs", "MUG", "Mug", ["Claystone", "Nordform"],
            ["Stoneware 12oz", "Double Wall", "Travel 16oz", "Espresso Cup Set", "Enamel Camp", "Latte Bowl"],
            9, 29, 1.2, false, [("Coffee Beans", 0.3)]),
        new("Coffee", "Coffee Filters", "CFL", "Filters", ["Kaffebrand", "Pourwell"],
            ["Cone #2 100ct", "Cone #4 100ct", "Flat Bottom 100ct", "Chemex-style 100ct"],
            4, 12, 1.0, true, [("Coffee Beans", 0.5)]),
        new("Coffee", "Kettles", "KTL", "Kettle", ["Pourwell", "Nordform"],
            ["Gooseneck", "Electric Gooseneck", "Stovetop", "Variable Temp"],
            29, 129, 0.6, false, [("Coffee Brewers", 0.25), ("Mugs", 0.2)]),
        new("Coffee", "Coffee Brewers", "CBR", "Brewer", ["Pourwell", "Kaffebrand"],
            ["Pour-Over Dripper", "French Press", "Aeropress-style", "Cold Brew Jar", "Moka Pot"],
            19, 199, 0.9, false, [("Coffee Filters", 0.5), ("Coffee Beans", 0.45), ("Kettles", 0.2)]),

        // Yoga
        new("Yoga", "Yoga Mats", "YMT", "Yoga Mat", ["Lotuswell", "Groundflow"],
            ["Grip 5mm", "Travel 2mm", "Cork", "Natural Rubber", "Thick 8mm", "Alignment"],
            25, 110, 1.5, false, [("Yoga Blocks", 0.45), ("Yoga Straps", 0.3), ("Yoga Apparel", 0.2)]),
        new("Yoga", "Yoga Blocks", "YBL", "Block", ["Lotuswell", "Groundflow"],
            ["Foam", "Cork", "Bamboo", "Foam 2-Pack"],
            9, 29, 0.7, false, [("Yoga Straps", 0.35)]),
        new("Yoga", "Yoga Straps", "YST", "Strap", ["Lotuswell"],
            ["Cotton 6ft", "Cotton 8ft", "Loop Strap"],
            7, 19, 0.4, false, []),
        new("Yoga", "Yoga Apparel", "YAP", "Top", ["Groundflow", "Lotuswell"],
            ["Flow Tank", "Studio Tee", "Seamless Crop", "Wrap Top", "Long Sleeve", "Bamboo Tee"],
            29, 89, 1.0, false, [("Yoga Mats", 0.15)]),

        // Outdoors
        new("Outdoors", "Tents", "TNT", "Tent", ["Fjellhus", "Summitline"],
            ["Solo UL", "Duo 2P", "Family 4P", "Dome 3P", "Trekking 2P"],
            129, 599, 0.8, false, [("Sleeping Bags", 0.5), ("Headlamps", 0.3), ("Camping Stoves", 0.25)]),
        new("Outdoors", "Sleeping Bags", "SLB", "Sleeping Bag", ["Fjellhus", "Summitline"],
            ["Down -5C", "Synthetic 0C", "Summer 10C", "Quilt", "Kids"],
            59, 299, 0.7, false, [("Tents", 0.2), ("Headlamps", 0.2)]),
        new("Outdoors", "Camping Stoves", "CST", "Stove", ["Summitline"],
            ["Canister Mini", "Integrated 1L", "Two Burner", "Wood Gasifier"],
            39, 149, 0.5, false, [("Backpacks", 0.15)]),
        new("Outdoors", "Backpacks", "BPK", "Backpack", ["Fjellhus", "Trailmark", "Summitline"],
            ["Daypack 20L", "Trek 45L", "Expedition 65L", "Commuter 25L", "Hydration 12L", "Kids 10L"],
            49, 229, 1.0, false, [("Hydration", 0.2), ("Headlamps", 0.15)]),

        // Electronics
        new("Electronics", "Headphones", "HPH", "Headphones", ["Sonora", "Pulsar Gear"],
            ["Studio ANC", "Sport Buds", "Open Ear", "Over-Ear Classic", "Kids Safe", "True Wireless 3", "Bone Conduction"],
            29, 349, 1.5, false, [("Chargers", 0.25)]),
        new("Electronics", "Chargers", "CHG", "Charger", ["Voltic", "Pulsar Gear"],
            ["USB-C 30W", "USB-C 65W", "Wireless Pad", "Power Bank 10k", "Car Dual"],
            15, 59, 1.0, false, []),
        new("Electronics", "Phone Cases", "PCS", "Phone Case", ["Voltic", "Shellcraft"],
            ["Clear", "Rugged", "Leather Folio", "Slim", "MagSafe-style", "Eco"],
            12, 49, 1.2, false, [("Chargers", 0.35)]),
        new("Electronics", "Smart Speakers", "SSP", "Speaker", ["Sonora"],
            ["Mini", "Home", "Max", "Outdoor", "Soundbar"],
            49, 199, 0.6, false, []),

        // Home
        new("Home", "Candles", "CDL", "Candle", ["Hygglig", "Nordform"],
            ["Birch", "Sea Salt", "Cedar", "Vanilla", "Pine Forest"],
            12, 39, 1.0, false, [("Towels", 0.1), ("Bedding", 0.1)]),
        new("Home", "Bedding", "BED", "Duvet Cover", ["Hygglig", "Linnea"],
            ["Linen Queen", "Linen King", "Percale Queen", "Sateen Queen", "Flannel Queen", "Kids Single"],
            49, 199, 0.9, false, [("Towels", 0.3), ("Candles", 0.2)]),
        new("Home", "Towels", "TWL", "Towel Set", ["Linnea"],
            ["Waffle", "Turkish", "Bath Sheet", "Hand 4-Pack", "Beach"],
            15, 59, 0.8, false, [("Bedding", 0.15)]),

        // Books
        new("Books", "Cookbooks", "CBK", "Cookbook", ["Hearth Press", "Greenleaf"],
            ["Nordic Baking", "Weeknight Vegetables", "The Coffee Table", "Fermentation", "Trail Food"],
            18, 45, 0.7, false, [("Fiction", 0.1)]),
        new("Books", "Fiction", "FIC", "Novel", ["Hearth Press", "Greenleaf", "Northlight"],
            ["The Quiet Fjord", "Salt and Ember", "Midnight Orchard", "The Last Ferry", "Glass Harbour",
             "A Winter Ledger", "Long Light", "The Cartographer", "Small Hours", "Echo Lake", "Paper Moons"],
            9, 27, 1.5, false, [("Fiction", 0.25)]),
        new("Books", "Running Books", "RBK", "Guide", ["Northlight"],
            ["Run Your First Marathon", "Trail Running Basics", "Strength for Runners"],
            15, 30, 0.3, false, [("Running Socks", 0.1), ("Running Shoes", 0.1)]),

        // Baby
        new("Baby", "Diapers", "DPR", "Diapers", ["Tuttle", "Softkin"],
            ["Size 1 (84ct)", "Size 2 (76ct)", "Size 3 (68ct)", "Size 4 (60ct)"],
            25, 55, 1.2, true, [("Baby Wipes", 0.7), ("Baby Toys", 0.1)]),
        new("Baby", "Baby Wipes", "WIP", "Wipes", ["Tuttle", "Softkin"],
            ["Sensitive 6-Pack", "Water 12-Pack", "Travel 3-Pack"],
            5, 15, 0.6, true, [("Diapers", 0.4)]),
        new("Baby", "Baby Toys", "BTY", "Toy", ["Tuttle"],
            ["Wooden Stacker", "Soft Blocks", "Teether Ring", "Activity Cube", "Bath Boats"],
            9, 49, 0.6, false, []),

        // Beauty
        new("Beauty", "Shampoo", "SHP", "Shampoo", ["Havsalt", "Purelle"],
            ["Daily Clean", "Volume", "Repair", "Sensitive Scalp", "Sea Mineral"],
            8, 32, 1.0, true, [("Conditioner", 0.6)]),
        new("Beauty", "Conditioner", "CND", "Conditioner", ["Havsalt", "Purelle"],
            ["Daily Soft", "Volume", "Repair", "Sensitive", "Sea Mineral"],
            8, 32, 0.7, true, [("Shampoo", 0.5)]),
        new("Beauty", "Skincare", "SKC", "Cream", ["Purelle", "Havsalt"],
            ["Day SPF30", "Night Repair", "Eye", "Hand", "Barrier", "Tinted"],
            15, 79, 1.0, false, [("Shampoo", 0.1)]),

        // Gift cards
        new("Gifts", "Gift Cards", "GFT", "Gift Card", ["Samlet Shop"],
            ["$25", "$50", "$100"],
            25, 100, 0.3, false, []),
    ];
}
