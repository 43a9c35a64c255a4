namespace Samlet.Demo;

/// <summary>A category of the catalogue with its products, their popularity and its co-purchase links.</summary>
internal sealed class ProductCategory(int index, CategorySpec spec, string path)
{
    public int Index { get; } = index;

    public CategorySpec Spec { get; } = spec;

    public string Name => Spec.Name;

    public string Path { get; } = path;

    public string Url => Catalog.BaseUrl + Path;

    public string Title => Spec.Name + " | " + Catalog.ShopName;

    public string SearchQuery => Spec.Name.ToLowerInvariant();

    public List<Product> Products { get; } = [];

    /// <summary>Zipf-like weights: the first products of a category sell best.</summary>
    public double[] ProductWeights { get; set; } = [];

    public List<(ProductCategory Category, double Probability)> BoughtWith { get; } = [];

    public Product PickProduct(DemoRandom rng) => Products[rng.PickWeighted(ProductWeights)];
}
