using Samlet.Analytics.Attribution;

namespace Samlet.Core.Tests.Analytics.Attribution;

public sealed class ConversionPathCsvTests
{
    [Fact]
    public void Reads_quoted_fields_columns_in_any_order_and_optional_columns()
    {
        var paths = ConversionPathCsv.Read(new StringReader("total_conversions,\"path\"\n2,\"a > b\"\n0,\"\"\n1,c>d\n"));

        Assert.Equal(3, paths.Count);
        Assert.Equal(["a", "b"], paths[0].Channels);
        Assert.Equal(2, paths[0].Conversions);
        Assert.Equal(0, paths[0].ConversionValue);
        Assert.Empty(paths[1].Channels);
        Assert.Equal(["c", "d"], paths[2].Channels);
    }

    [Fact]
    public void Keeps_text_after_a_closing_quote_in_the_field()
    {
        var paths = ConversionPathCsv.Read(new StringReader("path,total_conversions\n\"a\"b > c,1\n"));

        Assert.Equal(["ab", "c"], paths[0].Channels);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("path,total_null\n\"a\",1\n", "total_conversions")]
    [InlineData("path,total_conversions\n", "no path")]
    [InlineData("path,total_conversions\n\"a\",x\n", "Line 2")]
    [InlineData("path,total_conversions\n\"a\",-1\n", "Line 2")]
    [InlineData("path,total_conversions\n\"a\",1,3\n", "Line 2")]
    [InlineData("path,total_conversions\n\"a,1\n", "not closed")]
    public void Rejects_malformed_files_with_a_message_that_says_where(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => ConversionPathCsv.Read(new StringReader(text)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
