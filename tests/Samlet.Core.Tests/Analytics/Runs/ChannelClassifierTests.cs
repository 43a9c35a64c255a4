using System.Text.Json;
using Samlet.Analytics.Runs;

namespace Samlet.Core.Tests.Analytics.Runs;

public sealed class ChannelClassifierTests
{
    [Theory]
    [InlineData("""{"type":"page","context":{"campaign":{"source":"google","medium":"cpc"}}}""", "Paid Search")]
    [InlineData("""{"type":"page","context":{"campaign":{"source":"facebook","medium":"cpc"}}}""", "Paid Social")]
    [InlineData("""{"type":"page","context":{"campaign":{"source":"instagram","medium":"paid_social"}}}""", "Paid Social")]
    [InlineData("""{"type":"page","context":{"campaign":{"source":"newsletter","medium":"Email"}}}""", "Email")]
    [InlineData("""{"type":"page","context":{"campaign":{"source":"dealhub","medium":"affiliate"}}}""", "Affiliate")]
    [InlineData("""{"type":"page","context":{"campaign":{"source":"partner-x","medium":"qr"}}}""", "Other Campaign")]
    [InlineData("""{"type":"track","context":{"campaign":{"source":"twitter"}}}""", "Organic Social")]
    [InlineData("""{"type":"page","context":{"page":{"referrer":"https://www.google.de/","url":"https://shop.example/"}}}""", "Organic Search")]
    [InlineData("""{"type":"page","context":{"page":{"referrer":"https://l.facebook.com/","url":"https://shop.example/"}}}""", "Organic Social")]
    [InlineData("""{"type":"page","context":{"page":{"referrer":"https://notgoogle.example/","url":"https://shop.example/"}}}""", "Referral")]
    [InlineData("""{"type":"page","properties":{"referrer":"https://blog.example/post","url":"https://shop.example/"}}""", "Referral")]
    [InlineData("""{"type":"page","context":{"page":{"referrer":"","url":"https://shop.example/"}}}""", "Direct")]
    [InlineData("""{"type":"page"}""", "Direct")]
    [InlineData("""{"type":"page","context":{"page":{"referrer":"https://www.shop.example/a","url":"https://shop.example/b"}}}""", null)]
    [InlineData("""{"type":"page","context":{"page":{"referrer":"not a url","url":"https://shop.example/b"}}}""", null)]
    [InlineData("""{"type":"track","event":"Order Completed"}""", null)]
    public void Classifies_visits_by_campaign_then_referrer(string payload, string? channel)
    {
        using var document = JsonDocument.Parse(payload);
        Assert.Equal(channel, ChannelClassifier.Classify(document.RootElement));
    }
}
