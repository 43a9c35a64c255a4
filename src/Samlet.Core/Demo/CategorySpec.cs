namespace Samlet.Demo;

/// <summary>How one product category of the demo catalogue is built and what it is bought with.</summary>
/// <param name="Department">Top-level department, e.g. "Running".</param>
/// <param name="Name">The e-commerce <c>category</c> property, e.g. "Running Shoes".</param>
/// <param name="Code">Three-letter SKU prefix.</param>
/// <param name="Noun">Last word of the product names.</param>
/// <param name="Brands">Brands the products cycle through.</param>
/// <param name="Models">One product per model name.</param>
/// <param name="MinPrice">Cheapest price in whole dollars.</param>
/// <param name="MaxPrice">Dearest price in whole dollars.</param>
/// <param name="Popularity">Relative chance that a shopping mission starts in this category.</param>
/// <param name="Consumable">Bought in quantities above one and re-bought.</param>
/// <param name="BoughtWith">Categories added to the basket with the given probability when this one anchors it.</param>
internal sealed record CategorySpec(
    string Department,
    string Name,
    string Code,
    string Noun,
    string[] Brands,
    string[] Models,
    int MinPrice,
    int MaxPrice,
    double Popularity,
    bool Consumable,
    (string Category, double Probability)[] BoughtWith);
