using System.Text.Json;

namespace Samlet.Demo;

/// <summary>E-commerce v2 product and order properties.</summary>
internal static class ProductJson
{
    public const string Currency = "USD";

    /// <summary>The product fields of Product Viewed / Product Added (properties are the product itself).</summary>
    public static void WriteFields(Utf8JsonWriter json, Product product, int quantity, bool withLinks)
    {
        json.WriteString("product_id"u8, product.Id);
        json.WriteString("sku"u8, product.Sku);
        json.WriteString("category"u8, product.Category.Name);
        json.WriteString("name"u8, product.Name);
        json.WriteString("brand"u8, product.Brand);
        EventWriter.WriteMoney(json, "price"u8, product.PriceCents);
        if (quantity > 0)
        {
            json.WriteNumber("quantity"u8, quantity);
        }

        if (withLinks)
        {
            json.WriteString("url"u8, product.Url);
            json.WriteString("image_url"u8, product.ImageUrl);
        }
    }

    public static void WriteProducts(Utf8JsonWriter json, IReadOnlyList<BasketLine> lines)
    {
        json.WriteStartArray("products"u8);
        for (var i = 0; i < lines.Count; i++)
        {
            json.WriteStartObject();
            WriteFields(json, lines[i].Product, lines[i].Quantity, withLinks: false);
            json.WriteNumber("position"u8, i + 1);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>Product List Viewed: the first products of a category page.</summary>
    public static void WriteList(Utf8JsonWriter json, ProductCategory category)
    {
        json.WriteString("list_id"u8, category.Path);
        json.WriteString("category"u8, category.Name);
        json.WriteStartArray("products"u8);
        for (var i = 0; i < Math.Min(4, category.Products.Count); i++)
        {
            var product = category.Products[i];
            json.WriteStartObject();
            json.WriteString("product_id"u8, product.Id);
            json.WriteString("sku"u8, product.Sku);
            json.WriteString("name"u8, product.Name);
            EventWriter.WriteMoney(json, "price"u8, product.PriceCents);
            json.WriteNumber("position"u8, i + 1);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>Checkout Started and Order Completed share these; Order Completed adds subtotal, total and checkout_id.</summary>
    public static void WriteOrder(Utf8JsonWriter json, string orderId, in OrderTotals totals, IReadOnlyList<BasketLine> lines)
    {
        json.WriteString("order_id"u8, orderId);
        json.WriteString("affiliation"u8, Catalog.ShopName);
        EventWriter.WriteMoney(json, "value"u8, totals.Subtotal);
        EventWriter.WriteMoney(json, "revenue"u8, totals.Subtotal);
        EventWriter.WriteMoney(json, "shipping"u8, totals.Shipping);
        EventWriter.WriteMoney(json, "tax"u8, totals.Tax);
        EventWriter.WriteMoney(json, "discount"u8, totals.Discount);
        if (totals.Coupon is not null)
        {
            json.WriteString("coupon"u8, totals.Coupon);
        }

        json.WriteString("currency"u8, Currency);
        WriteProducts(json, lines);
    }
}
