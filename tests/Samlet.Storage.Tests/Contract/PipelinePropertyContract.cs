using System.Globalization;

namespace Samlet.Storage.Tests.Contract;

/// <summary>
/// For random event streams (seeded, so a failure names its seed): live processing in random batches equals
/// <c>rebuild</c> exactly, and without limits (where the rules make order irrelevant) a shuffled log gives the same
/// profiles up to ids and creation times.
/// </summary>
public abstract class PipelinePropertyContract<TFixture> : IAsyncLifetime
    where TFixture : StoreFixture, new()
{
    // Entries replace the defaults: the same types and priorities without limits.
    private const string Unlimited = """{"types":[{"type":"user_id","priority":1},{"type":"email","priority":2},{"type":"phone","priority":3}]}""";
    private readonly TFixture _fixture = new();

    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 12)];

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Live_processing_in_random_batches_and_rebuild_give_identical_profiles(int seed)
    {
        var random = new Random(seed);
        var driver = new PipelineDriver(_fixture.Store);
        await driver.AddWorkspaceAsync("ws", "src");
        var messages = Stream(driver, random, withAliases: true);
        var sent = 0;
        while (sent < messages.Count)
        {
            var chunk = messages.Skip(sent).Take(random.Next(1, 10)).ToArray();
            await driver.SendAsync("src", chunk);
            sent += chunk.Length;
            await driver.ProcessSomeAsync(random);
        }

        await driver.Worker(batchSize: random.Next(1, 8), eventsPerCommit: random.Next(1, 40), cachedProfiles: random.Next(0, 5)).CatchUpAsync(null, CancellationToken.None);
        var live = await driver.DumpAsync("ws");
        // The rebuild keeps every profile in memory, or (with a tiny cache) sends most back to the store between commits.
        await driver.Worker(batchSize: random.Next(1, 50), eventsPerCommit: random.Next(1, 200), cachedProfiles: random.Next(2) == 0 ? 100_000 : random.Next(0, 5))
            .RebuildAsync(null, CancellationToken.None);
        var rebuilt = await driver.DumpAsync("ws");
        Assert.True(live == rebuilt, $"seed {seed}: live and rebuild differ.\nLIVE:\n{live}\nREBUILD:\n{rebuilt}");
        Assert.NotEmpty(live);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Without_limits_a_shuffled_log_gives_the_same_profiles(int seed)
    {
        var random = new Random(seed);
        var driver = new PipelineDriver(_fixture.Store);
        await driver.AddWorkspaceAsync("ws_ordered", "src_ordered");
        await driver.AddWorkspaceAsync("ws_shuffled", "src_shuffled");
        await _fixture.Store.Profiles.SetIdentityRulesAsync("ws_ordered", Unlimited, CancellationToken.None);
        await _fixture.Store.Profiles.SetIdentityRulesAsync("ws_shuffled", Unlimited, CancellationToken.None);
        var messages = Stream(driver, random, withAliases: false);
        await driver.SendAsync("src_ordered", [.. messages]);
        await driver.SendAsync("src_shuffled", [.. messages.OrderBy(_ => random.Next())]);
        await driver.Worker(batchSize: random.Next(1, 20), eventsPerCommit: random.Next(1, 60)).CatchUpAsync(null, CancellationToken.None);

        var ordered = await driver.DumpWithoutIdsAsync("ws_ordered");
        var shuffled = await driver.DumpWithoutIdsAsync("ws_shuffled");
        Assert.True(ordered == shuffled, $"seed {seed}: the shuffled log gives other profiles.\nORDERED:\n{ordered}\nSHUFFLED:\n{shuffled}");
    }

    // 40–80 messages over small pools of ids, so that profiles link, merge and collide with limits; distinct event times
    // (in random order relative to the log) so that "latest wins" never needs a tie-break.
    internal static List<string> Stream(PipelineDriver driver, Random random, bool withAliases)
    {
        var count = random.Next(40, 80);
        var minutes = Enumerable.Range(0, count).OrderBy(_ => random.Next()).ToArray();
        var messages = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var anon = $"\"anonymousId\":\"a{random.Next(6)}\"";
            var user = random.Next(3) == 0 ? $",\"userId\":\"u{random.Next(4)}\"" : "";
            var email = random.Next(3) == 0 ? $"\"email\":\"e{random.Next(3)}@shop.dk\"," : "";
            var blocked = random.Next(8) == 0 ? "\"phone\":\"0\"," : "";
            var traits = $"{{{email}{blocked}\"plan\":\"p{random.Next(5)}\",\"n\":{i}}}";
            var message = random.Next(withAliases ? 6 : 5) switch
            {
                0 or 1 => driver.Message("identify", minutes[i], $"{anon}{user},\"traits\":{traits}"),
                2 => driver.Message("track", minutes[i], $"{anon}{user},\"event\":\"E{random.Next(3)}\",\"context\":{{\"traits\":{traits}}}"),
                3 => driver.Message("page", minutes[i], $"{anon},\"name\":\"P{random.Next(2)}\""),
                4 => driver.Message("group", minutes[i], $"{anon}{user},\"groupId\":\"g{random.Next(2)}\",\"traits\":{{\"size\":{random.Next(100).ToString(CultureInfo.InvariantCulture)}}}"),
                _ => driver.Message("alias", minutes[i], $"\"previousId\":\"a{random.Next(6)}\",\"userId\":\"u{random.Next(4)}\""),
            };
            messages.Add(message);
        }

        return messages;
    }
}
