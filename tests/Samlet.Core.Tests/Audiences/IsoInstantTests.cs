using System.Globalization;
using Samlet.Audiences;

namespace Samlet.Core.Tests.Audiences;

public sealed class IsoInstantTests
{
    [Theory]
    [InlineData("2026-03-01", "2026-03-01T00:00:00.0000000+00:00")]
    [InlineData("2026-03-01T10:00", "2026-03-01T10:00:00.0000000+00:00")]
    [InlineData("2026-03-01T10:00Z", "2026-03-01T10:00:00.0000000+00:00")]
    [InlineData("2026-03-01T10:00:05", "2026-03-01T10:00:05.0000000+00:00")]
    [InlineData("2026-03-01T10:00:05.1Z", "2026-03-01T10:00:05.1000000+00:00")]
    [InlineData("2026-03-01T10:00:05.1234567Z", "2026-03-01T10:00:05.1234567+00:00")]
    [InlineData("2026-03-01T10:00:05.123+02:00", "2026-03-01T08:00:05.1230000+00:00")]
    [InlineData("2026-03-01T01:00:00-05:30", "2026-03-01T06:30:00.0000000+00:00")]
    [InlineData("2024-02-29T23:59:59Z", "2024-02-29T23:59:59.0000000+00:00")]
    public void Reads_iso_8601_date_times_in_utc(string text, string expected)
    {
        Assert.True(IsoInstant.TryParse(text, out var instant));
        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), instant);
        Assert.Equal(TimeSpan.Zero, instant.Offset);
        Assert.True(IsoInstant.TryRead(Build.Json($"\"{text}\""), out var read));
        Assert.Equal(instant, read);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2026-3-1")]
    [InlineData("03/01/2026")]
    [InlineData("2026-02-29")]
    [InlineData("2026-13-01")]
    [InlineData("2026-03-01 10:00")]
    [InlineData("2026-03-01T24:00")]
    [InlineData("2026-03-01T10:00:05.")]
    [InlineData("2026-03-01T10:00:05.12345678Z")]
    [InlineData("2026-03-01T10:00+0200")]
    [InlineData("2026-03-01T10:00Zx")]
    [InlineData("2026-03-01T10")]
    [InlineData("0000-01-01")]
    [InlineData("yesterday")]
    public void Refuses_other_text(string text)
    {
        Assert.False(IsoInstant.TryParse(text, out _));
        Assert.False(IsoInstant.TryRead(Build.Json($"\"{text}\""), out _));
    }

    [Fact]
    public void Reads_escaped_json_strings_and_no_other_json_type()
    {
        Assert.True(IsoInstant.TryRead(Build.Json("\"2026-03-01T10:00\\u003a05Z\""), out var escaped));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 0, 5, TimeSpan.Zero), escaped);
        Assert.False(IsoInstant.TryRead(Build.Json("20260301"), out _));
        Assert.False(IsoInstant.TryRead(null, out _));
    }
}
