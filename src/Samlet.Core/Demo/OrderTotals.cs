namespace Samlet.Demo;

/// <summary>
/// The money of one order in cents, following e-commerce v2: subtotal is after discount and before
/// shipping and tax; revenue equals subtotal; total = subtotal + shipping + tax.
/// </summary>
internal readonly record struct OrderTotals(long Items, long Discount, string? Coupon, long Shipping, long Tax)
{
    public const long FreeShippingFromCents = 7500;
    public const long ShippingCents = 595;

    public long Subtotal => Items - Discount;

    public long Total => Subtotal + Shipping + Tax;

    public static OrderTotals Compute(IReadOnlyList<BasketLine> lines, string? coupon, int percentOff, double taxRate, bool business)
    {
        long items = 0;
        foreach (var line in lines)
        {
            items += line.LineCents;
        }

        var discount = coupon is null ? 0 : (long)Math.Round(items * percentOff / 100.0, MidpointRounding.AwayFromZero);
        var subtotal = items - discount;
        var shipping = business || subtotal >= FreeShippingFromCents ? 0 : ShippingCents;
        var tax = (long)Math.Round(subtotal * taxRate, MidpointRounding.AwayFromZero);
        return new OrderTotals(items, discount, coupon, shipping, tax);
    }
}
