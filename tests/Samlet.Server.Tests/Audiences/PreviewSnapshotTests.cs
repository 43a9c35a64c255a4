namespace Samlet.Server.Tests.Audiences;

/// <summary>Previews come from an in-memory snapshot: reused while fresh, reloaded when it is older than PreviewFreshSeconds and the pipeline moved on, or at once when definitions change.</summary>
public sealed class PreviewSnapshotTests
{
    private const string Pro = """{"condition":{"trait":"plan","op":"equals","value":"pro"}}""";

    private static async Task<(long Count, string AsOf, string Source)> PreviewAsync(AudienceApi api)
    {
        var (_, body, _) = await api.SendAsync(HttpMethod.Post, "/api/audiences/preview", Pro);
        return (body.GetProperty("count").GetInt64(), body.GetProperty("asOf").GetString()!, body.GetProperty("source").GetString()!);
    }

    [Theory]
    [InlineData(3600, 1)]
    [InlineData(0, 2)]
    public async Task A_fresh_snapshot_is_reused_and_a_stale_one_reloaded(int freshSeconds, long secondCount)
    {
        await using var server = new SamletServer(new Dictionary<string, string?> { ["Pipeline:PreviewFreshSeconds"] = freshSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await server.InitializeAsync();
        var api = new AudienceApi(server);
        await api.TrackAsync("""{"type":"identify","userId":"ann","traits":{"plan":"pro"},"messageId":"m1"}""");
        await server.WaitForPipelineAsync();
        var first = await PreviewAsync(api);
        Assert.Equal((1L, "snapshot"), (first.Count, first.Source));

        await api.TrackAsync("""{"type":"identify","userId":"bo","traits":{"plan":"pro"},"messageId":"m2"}""");
        await server.WaitForPipelineAsync();
        var second = await PreviewAsync(api);
        Assert.Equal(secondCount, second.Count);
        Assert.Equal(freshSeconds > 0, second.AsOf == first.AsOf);

        // New definitions make it reload whatever its age.
        await api.PutAsync("/api/computed-traits/logins", """{"aggregation":"count","event":"Signed In"}""");
        await api.SettleAsync();
        Assert.Equal(2, (await PreviewAsync(api)).Count);
    }
}
