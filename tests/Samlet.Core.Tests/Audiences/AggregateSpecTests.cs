using System.Text;
using Samlet.Audiences;
using Samlet.Events;

namespace Samlet.Core.Tests.Audiences;

public sealed class AggregateSpecTests
{
    private const string Orders = """
        { "key": "orders_90d", "aggregation": "count", "event": "Order Completed",
          "where": [ {"property": "properties.total", "op": "greaterThan", "value": 2},
                     {"property": "properties.country", "op": "in", "value": ["DK", "SE"]} ],
          "window": "90d" }
        """;

    private static string Fingerprint(string json) => Build.Trait(json).Aggregate.Fingerprint;

    [Fact]
    public void Equal_specs_spelled_differently_share_a_fingerprint()
    {
        var respelled = """
            {"window":"2160h","where":[{"value":2.0,"op":"greaterThan","property":"properties.total"},
            {"op":"in","property":"properties.country","value":["SE","DK","SE"]}],"type":"track","event":"Order Completed",
            "aggregation":"count","key":"other_key","name":"Another name"}
            """;
        Assert.Equal(Fingerprint(Orders), Fingerprint(respelled));
        Assert.Equal(Build.Trait(Orders).Aggregate, Build.Trait(respelled).Aggregate);
        Assert.Matches("^[0-9a-f]{16}$", Fingerprint(Orders));
    }

    [Theory]
    [InlineData("\"count\"", "\"sum\", \"property\": \"properties.total\"")]
    [InlineData("\"Order Completed\"", "\"Order completed\"")]
    [InlineData("\"greaterThan\", \"value\": 2", "\"greaterThan\", \"value\": 2.5")]
    [InlineData("\"greaterThan\", \"value\": 2", "\"greaterThanOrEqual\", \"value\": 2")]
    [InlineData("\"greaterThan\", \"value\": 2", "\"equals\", \"value\": 2")]
    [InlineData("\"greaterThan\", \"value\": 2", "\"equals\", \"value\": \"2\"")]
    [InlineData("\"properties.total\"", "\"properties.subtotal\"")]
    [InlineData("[\"DK\", \"SE\"]", "[\"DK\", \"SE\", \"NO\"]")]
    [InlineData("\"90d\"", "\"91d\"")]
    [InlineData("\"window\": \"90d\"", "\"window\": null")]
    public void Any_semantic_difference_changes_the_fingerprint(string from, string to)
    {
        var changed = Orders.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(Orders, changed);
        Assert.NotEqual(Fingerprint(Orders), Fingerprint(changed));
        Assert.NotEqual(Build.Trait(Orders).Aggregate, Build.Trait(changed).Aggregate);
    }

    [Fact]
    public void The_order_of_where_conditions_is_part_of_the_spec_and_the_type_too()
    {
        var spec = Build.Trait(Orders).Aggregate;
        var swapped = spec with { Filter = spec.Filter with { Where = [.. spec.Filter.Where.Reverse()] } };
        Assert.NotEqual(spec.Fingerprint, swapped.Fingerprint);
        var anyType = spec with { Filter = spec.Filter with { Type = null } };
        Assert.NotEqual(spec.Fingerprint, anyType.Fingerprint);
    }

    [Fact]
    public void A_with_copy_gets_its_own_fingerprint()
    {
        var spec = Build.Trait(Orders).Aggregate;
        _ = spec.Fingerprint;
        var longer = spec with { Window = TimeSpan.FromDays(180) };
        Assert.NotEqual(spec.Fingerprint, longer.Fingerprint);
        Assert.Equal(Fingerprint(Orders.Replace("90d", "180d", StringComparison.Ordinal)), longer.Fingerprint);
    }

    [Fact]
    public void The_fingerprint_is_the_sha256_prefix_of_the_canonical_text()
    {
        // A fixed hash of a fixed text: no culture, process or runtime hash seed involved.
        var spec = new AggregateSpec(Aggregation.Sum, "properties.total", new EventFilter(EventType.Track, "Order Completed", []), TimeSpan.FromDays(1));
        Assert.Equal("aggregate/1|aggregation=Sum|property=\"properties.total\"|type=track|event=\"Order Completed\"|where=[]|window=86400", spec.CanonicalText);
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(spec.CanonicalText)))[..16];
        Assert.Equal(expected, spec.Fingerprint);
    }
}
