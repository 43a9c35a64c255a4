using System.Text.Json;
using Xunit.Abstractions;

namespace Samlet.Server.Tests.Sdk;

/// <summary>
/// The unmodified SDKs from npm (tests/sdk-clients) against a real server on a loopback port: each script sends the
/// scenario's calls, flushes and exits 0 only if the SDK reported no error; then every event must be stored once.
/// </summary>
public sealed class SdkCompatibilityTests(ITestOutputHelper output)
{
    [Fact]
    public Task Segment_analytics_node_3_delivers_every_call_exactly_once() =>
        DeliversAsync("segment-node.mjs", "@segment/analytics-node", "3.1.0", SdkScenario.Expected(ScenarioCalls.All));

    [Fact]
    public Task Segment_analytics_node_3_retry_after_a_lost_acknowledgement_is_stored_once() =>
        DeliversAsync("segment-node-retry.mjs", "@segment/analytics-node", "3.1.0", SdkScenario.Expected(ScenarioCalls.Identify | ScenarioCalls.Track));

    [Fact]
    public Task Segment_analytics_node_2_with_the_write_key_only_in_the_body_delivers_every_call_exactly_once() =>
        DeliversAsync("segment-node-2.mjs", "@segment/analytics-node", "2.3.0", SdkScenario.Expected(ScenarioCalls.All));

    [Fact]
    public Task Classic_analytics_node_6_delivers_every_call_exactly_once() =>
        DeliversAsync("analytics-node-classic.mjs", "analytics-node", "6.2.0", SdkScenario.Expected(ScenarioCalls.All));

    [Fact]
    public async Task RudderStack_node_sdk_gzip_batches_labelled_as_form_data_deliver_every_call_exactly_once()
    {
        var stored = await DeliversAsync("rudder-node.mjs", "analytics-node", "3.0.13", SdkScenario.Expected(ScenarioCalls.All));

        // rudder-sdk-node copies identify traits into context.traits; the stored event has them as "traits" too.
        var identify = stored.Single(e => e.GetProperty("type").GetString() == "identify").GetProperty("payload");
        Assert.True(JsonElement.DeepEquals(identify.GetProperty("context").GetProperty("traits"), identify.GetProperty("traits")));
    }

    [Fact]
    public Task Jitsu_js_in_node_delivers_page_identify_track_and_group_exactly_once() =>
        // Jitsu's page(name, properties) sends the category only as properties.category: checked on its own below.
        DeliversAsync("jitsu-node.mjs", "@jitsu/js", "1.11.0", [.. SdkScenario.Expected(ScenarioCalls.Page | ScenarioCalls.Identify | ScenarioCalls.Track | ScenarioCalls.Group)
            .Select(e => e with { Category = null })]);

    [Fact]
    public Task Jitsu_page_category_sent_in_properties_becomes_the_page_category() =>
        DeliversAsync("jitsu-node.mjs", "@jitsu/js", "1.11.0", SdkScenario.Expected(ScenarioCalls.Page | ScenarioCalls.Identify | ScenarioCalls.Track | ScenarioCalls.Group));

    [Fact]
    public Task Segment_analytics_next_in_Chromium_delivers_every_call_exactly_once() =>
        // Browser SDKs put their anonymousId on every event, the alias too.
        DeliversAsync("browser-segment.mjs", "analytics.js", "next-1.84.3", [.. SdkScenario.Expected(ScenarioCalls.All & ~ScenarioCalls.Duplicate)
            .Select(e => e.Type == "alias" ? e with { AnonymousId = e.PreviousId } : e)]);

    [Fact]
    public async Task RudderStack_analytics_js_in_Chromium_delivers_every_call_exactly_once()
    {
        var stored = await DeliversAsync("browser-rudder.mjs", "RudderLabs JavaScript SDK", "3.34.1", [.. SdkScenario.Expected(ScenarioCalls.Page | ScenarioCalls.Identify | ScenarioCalls.Track | ScenarioCalls.Group | ScenarioCalls.Alias)
            .Select(e => e.Type == "alias" ? e with { AnonymousId = e.PreviousId } : e)]);

        // RudderStack JS sends identify traits only in context.traits; the server copies them to "traits".
        var identify = stored.Single(e => e.GetProperty("type").GetString() == "identify").GetProperty("payload");
        Assert.True(JsonElement.DeepEquals(identify.GetProperty("context").GetProperty("traits"), identify.GetProperty("traits")));
    }

    [Theory]
    [InlineData("segment-node.mjs")]
    [InlineData("segment-node-2.mjs")]
    [InlineData("analytics-node-classic.mjs")]
    [InlineData("rudder-node.mjs")]
    [InlineData("jitsu-node.mjs")]
    public async Task Sdk_script_exits_non_zero_when_the_server_refuses_its_write_key(string script)
    {
        await using var server = await SdkTestServer.StartAsync();

        var run = await NodeScript.RunAsync(script, server.BaseUrl, "wk_unknown");

        output.WriteLine(run.Describe(script));
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("401", run.Errors + run.Output, StringComparison.Ordinal);
        Assert.Empty(await server.ReadEventsAsync());
    }

    private async Task<IReadOnlyList<JsonElement>> DeliversAsync(string script, string library, string version, IReadOnlyList<ExpectedEvent> expected)
    {
        await using var server = await SdkTestServer.StartAsync();

        var run = await NodeScript.RunAsync(script, server.BaseUrl, SdkTestServer.WriteKey);

        output.WriteLine(run.Describe(script));
        Assert.True(run.ExitCode == 0, run.Describe(script));
        var stored = await server.ReadEventsAsync();
        var differences = ArrivalCheck.Differences(stored, expected, library, version);
        Assert.True(differences.Count == 0, string.Join('\n', differences));
        Assert.Empty(await server.ReadRejectedAsync());
        return stored;
    }
}
