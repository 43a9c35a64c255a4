namespace Samlet.Demo;

/// <summary>One item of the demo catalogue, with its strings precomputed so events only copy them.</summary>
internal sealed record Product(
    int Index,
    string Id,
    string Sku,
    string Name,
    string Brand,
    ProductCategory Category,
    long PriceCents,
    string Path,
    string Url,
    string ImageUrl,
    string Title);
