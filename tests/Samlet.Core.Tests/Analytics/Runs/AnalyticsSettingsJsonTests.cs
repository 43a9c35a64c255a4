using Samlet.Analytics.Runs;

namespace Samlet.Core.Tests.Analytics.Runs;

public sealed class AnalyticsSettingsJsonTests
{
    [Fact]
    public void An_empty_object_gives_the_defaults_and_written_settings_read_back_equal()
    {
        var parsed = AnalyticsSettingsJson.Parse("{}").Value;
        Assert.Equal(AnalyticsSettings.Default.OrderEvent, parsed.OrderEvent);
        Assert.Equal(AnalyticsSettings.Default.Funnels[0], parsed.Funnels[0]);

        var custom = AnalyticsSettings.Default with
        {
            Model = "paretonbd",
            HoldoutDays = 60,
            ConversionEvent = "Signed Up",
            ActivityEvent = "Session Started",
            Funnels = [new FunnelSettings("Signup", ["Viewed", "Signed Up"], 2)],
            CohortPeriod = "week",
        };
        var again = AnalyticsSettingsJson.Parse(AnalyticsSettingsJson.Write(custom)).Value;
        Assert.Equal(AnalyticsSettingsJson.Write(custom), AnalyticsSettingsJson.Write(again));
        Assert.Equal("Signed Up", again.Conversion);
        Assert.Equal(["Viewed", "Signed Up"], again.Funnels[0].Steps);
    }

    [Theory]
    [InlineData("""{"colour":"red"}""", "/colour")]
    [InlineData("""{"model":"magic"}""", "/model")]
    [InlineData("""{"holdoutDays":2.5}""", "/holdoutDays")]
    [InlineData("""{"holdoutDays":"90"}""", "/holdoutDays")]
    [InlineData("""{"minSupport":0}""", "/minSupport")]
    [InlineData("""{"enabled":"yes"}""", "/enabled")]
    [InlineData("""{"revenueProperties":[]}""", "/revenueProperties")]
    [InlineData("""{"funnels":[{"name":"x","steps":["a"],"speed":1}]}""", "/funnels/0/speed")]
    [InlineData("""{"funnels":[{"name":"x"}]}""", "/funnels/0")]
    [InlineData("""{"highChurnBelow":0.8,"mediumChurnBelow":0.5}""", "/highChurnBelow")]
    [InlineData("""{"cohortPeriod":"year"}""", "/cohortPeriod")]
    [InlineData("""[1]""", "")]
    [InlineData("""{""", "")]
    public void Wrong_settings_are_refused_with_a_pointer_to_the_problem(string json, string pointer)
    {
        var parsed = AnalyticsSettingsJson.Parse(json);
        Assert.False(parsed.IsValid);
        Assert.Contains(parsed.Problems, p => p.Path == pointer);
    }
}
