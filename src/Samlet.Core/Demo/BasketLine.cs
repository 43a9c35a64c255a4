namespace Samlet.Demo;

/// <summary>A product and its quantity in a cart or order.</summary>
internal sealed record BasketLine(Product Product, int Quantity)
{
    public long LineCents => Product.PriceCents * Quantity;
}
