using System.Globalization;
using System.Text;

namespace Samlet.Demo;

/// <summary>The fixed demo catalogue (independent of the seed) and how shopping baskets are drawn from it.</summary>
internal sealed class Catalog
{
    public const string ShopName = "Samlet Shop";
    public const string BaseUrl = "https://shop.example.com";

    public static Catalog Instance { get; } = new();

    private readonly double[] _categoryWeights;

    private Catalog()
    {
        var categories = new List<ProductCategory>();
        var products = new List<Product>();
        foreach (var spec in CatalogSpecs.All)
        {
            var category = new ProductCategory(categories.Count, spec, "/c/" + Slug(spec.Department) + "/" + Slug(spec.Name));
            for (var i = 0; i < spec.Models.Length; i++)
            {
                var brand = spec.Brands[i % spec.Brands.Length];
                var name = brand + " " + spec.Models[i] + " " + spec.Noun;
                var id = "P" + (1001 + products.Count).ToString(CultureInfo.InvariantCulture);
                var sku = spec.Code + "-" + brand[..3].ToUpperInvariant() + "-" + (i + 1).ToString("D3", CultureInfo.InvariantCulture);
                var path = "/p/" + Slug(name) + "-" + id.ToLowerInvariant();
                var product = new Product(
                    products.Count, id, sku, name, brand, category, Price(spec, i), path, BaseUrl + path,
                    "https://cdn.shop.example.com/img/" + id.ToLowerInvariant() + ".jpg", name + " | " + ShopName);
                category.Products.Add(product);
                products.Add(product);
            }

            category.ProductWeights = [.. Enumerable.Range(0, spec.Models.Length).Select(i => 1.0 / Math.Pow(i + 1, 0.8))];
            categories.Add(category);
        }

        var byName = categories.ToDictionary(c => c.Name);
        foreach (var category in categories)
        {
            foreach (var (name, p) in category.Spec.BoughtWith)
            {
                category.BoughtWith.Add((byName[name], p));
            }
        }

        Categories = categories;
        Products = products;
        Departments = [.. categories.Select(c => c.Spec.Department).Distinct()];
        _categoryWeights = [.. categories.Select(c => c.Spec.Popularity)];
    }

    public IReadOnlyList<ProductCategory> Categories { get; }

    public IReadOnlyList<Product> Products { get; }

    public IReadOnlyList<string> Departments { get; }

    public ProductCategory PickCategory(DemoRandom rng) => Categories[rng.PickWeighted(_categoryWeights)];

    /// <summary>
    /// A basket for one shopping mission: the anchor category's product, then each linked category
    /// with its planted probability, then an unrelated impulse item now and then.
    /// </summary>
    public List<BasketLine> DrawBasket(DemoRandom rng, ProductCategory anchor, bool business)
    {
        var lines = new List<BasketLine>(4);
        Add(anchor.PickProduct(rng));
        foreach (var (category, p) in anchor.BoughtWith)
        {
            if (rng.Chance(p))
            {
                Add(category.PickProduct(rng));
            }
        }

        if (rng.Chance(0.12))
        {
            Add(PickCategory(rng).PickProduct(rng));
        }

        return lines;

        void Add(Product product)
        {
            if (lines.Exists(l => l.Product == product))
            {
                return;
            }

            var quantity = product.Category.Spec.Consumable ? rng.OneOrMore(0.4, 4) : rng.OneOrMore(0.06, 2);
            if (business)
            {
                quantity *= rng.Next(5, 21);
            }

            lines.Add(new BasketLine(product, quantity));
        }
    }

    private static long Price(CategorySpec spec, int i)
    {
        if (spec.Models[i].StartsWith('$'))
        {
            return long.Parse(spec.Models[i].AsSpan(1), CultureInfo.InvariantCulture) * 100;
        }

        // A fixed spread over the category's range, ending in .99 or .00 like a real price list.
        var fraction = ((i * 37) + (spec.Code[0] * 11)) % 100 / 100.0;
        var dollars = spec.MinPrice + (int)((spec.MaxPrice - spec.MinPrice) * fraction);
        return (dollars * 100) + (i % 3 == 0 ? 0 : 99);
    }

    private static string Slug(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(ch))
            {
                sb.Append(ch);
            }
            else if (sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }
        }

        return sb.ToString().TrimEnd('-');
    }
}
