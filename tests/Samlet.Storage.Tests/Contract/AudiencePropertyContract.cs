using System.Globalization;
using Samlet.Audiences;

namespace Samlet.Storage.Tests.Contract;

/// <summary>
/// "One evaluator": for random computed traits, audiences and event streams (seeded, so a failure names its seed),
/// incremental processing — random batches, time moving on, scheduled re-checks, definitions added mid-stream and
/// backfilled — ends with exactly the computed values and memberships that a recompute from scratch gives.
/// </summary>
public abstract class AudiencePropertyContract<TFixture> : IAsyncLifetime
    where TFixture : StoreFixture, new()
{
    private static readonly string[] _windows = ["null", "\"1d\"", "\"2d\"", "\"36h\""];
    private static readonly string[] _aggregations = ["count", "sum", "min", "max", "average", "first", "last", "mostFrequent", "distinctValues", "distinctCount"];
    private readonly TFixture _fixture = new();

    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 12)];

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Incremental_membership_equals_a_recompute_from_scratch(int seed)
    {
        var random = new Random(seed);
        var driver = new PipelineDriver(_fixture.Store);
        await driver.AddWorkspaceAsync("ws", "src");
        var definitions = Definitions(random);
        var early = random.Next(1, definitions.Count);
        foreach (var (kind, key, json) in definitions.Take(early))
        {
            await PutAsync(kind, key, json);
        }

        var messages = Stream(driver, random);
        var sent = 0;
        var late = early;
        while (sent < messages.Count)
        {
            var chunk = messages.Skip(sent).Take(random.Next(1, 10)).ToArray();
            await driver.SendAsync("src", chunk);
            sent += chunk.Length;
            var worker = await driver.ProcessSomeAsync(random);

            driver.Now += TimeSpan.FromMinutes(random.Next(0, 240));
            if (random.Next(4) == 0)
            {
                await worker.RecheckAsync(CancellationToken.None);
            }

            if (late < definitions.Count && random.Next(6) == 0)
            {
                var (kind, key, json) = definitions[late++];
                await PutAsync(kind, key, json);
                await worker.BackfillAsync(null, CancellationToken.None);
            }
        }

        foreach (var (kind, key, json) in definitions.Skip(late))
        {
            await PutAsync(kind, key, json);
        }

        var last = driver.Worker(batchSize: random.Next(1, 8), eventsPerCommit: random.Next(1, 40), cachedProfiles: random.Next(0, 5));
        await last.CatchUpAsync(null, CancellationToken.None);
        await last.BackfillAsync(null, CancellationToken.None);
        await last.RecheckAsync(CancellationToken.None);
        await last.CatchUpAsync(null, CancellationToken.None); // links the audience events the re-check appended
        var live = await driver.DumpAsync("ws", withHistory: false);

        // The size preview (from the store, and from an in-memory snapshot) agrees with the kept memberships.
        var saved = new WorkspaceDefinitions(
            await _fixture.Store.Audiences.GetDefinitionsVersionAsync("ws", CancellationToken.None),
            [.. definitions.Where(d => d.Kind == DefinitionKind.ComputedTrait).Select(d => DefinitionParser.ParseComputedTrait(d.Json).Value)],
            [.. definitions.Where(d => d.Kind == DefinitionKind.Audience).Select(d => DefinitionParser.ParseAudience(d.Json).Value)]);
        var snapshot = await AudienceSnapshot.LoadAsync(_fixture.Store, "ws", saved, driver.Now, CancellationToken.None);
        var members = await _fixture.Store.Audiences.CountMembersAsync("ws", CancellationToken.None);
        foreach (var audience in saved.Audiences)
        {
            var scanned = await new AudiencePreview(_fixture.Store).RunAsync("ws", saved, audience, 100, driver.Now, CancellationToken.None);
            var fromMemory = snapshot.Evaluate(audience.Condition, driver.Now, 100);
            var kept = members.GetValueOrDefault(audience.Key);
            Assert.True(scanned.Count == kept && fromMemory.Count == kept && scanned.Sample.SequenceEqual(fromMemory.Sample),
                $"seed {seed}: {audience.Key} has {kept} members; preview from the store {scanned.Count}, from memory {fromMemory.Count}");
        }

        await driver.Worker(batchSize: 1000).RebuildAsync(null, CancellationToken.None);
        var recomputed = await driver.DumpAsync("ws", withHistory: false);
        Assert.True(live == recomputed, $"seed {seed}: incremental and recompute differ.\nDEFINITIONS:\n{string.Join("\n", definitions.Select(d => d.Json))}\nLIVE:\n{live}\nRECOMPUTE:\n{recomputed}");
        Assert.Contains("computed ", live);

        async Task PutAsync(DefinitionKind kind, string key, string json)
        {
            var parsed = kind == DefinitionKind.Audience ? DefinitionParser.ParseAudience(json).Problems : DefinitionParser.ParseComputedTrait(json).Problems;
            Assert.True(parsed.Count == 0, $"seed {seed}: generated an invalid definition {json}: {string.Join("; ", parsed)}");
            await _fixture.Store.Audiences.PutDefinitionAsync("ws", kind, key, json, driver.Now, CancellationToken.None);
        }
    }

    // Three computed traits and four audiences; an audience refers only to computed traits and audiences before it.
    private static List<(DefinitionKind Kind, string Key, string Json)> Definitions(Random random)
    {
        var list = new List<(DefinitionKind, string, string)>();
        for (var i = 0; i < 3; i++)
        {
            var aggregation = _aggregations[random.Next(_aggregations.Length)];
            var property = aggregation == "count" && random.Next(2) == 0 ? "" : ",\"property\":\"properties.amount\"";
            list.Add((DefinitionKind.ComputedTrait, $"c{i}",
                $$"""{"key":"c{{i}}","aggregation":"{{aggregation}}","event":"E{{random.Next(3)}}"{{property}},"window":{{_windows[random.Next(_windows.Length)]}}}"""));
        }

        for (var i = 0; i < 4; i++)
        {
            list.Add((DefinitionKind.Audience, $"a{i}", $$"""{"key":"a{{i}}","name":"Audience {{i}}","condition":{{Condition(random, i, 0)}}}"""));
        }

        return list;
    }

    private static string Condition(Random random, int audience, int depth)
    {
        var pick = random.Next(depth >= 2 ? 3 : 6, 14);
        var n = random.Next(0, 4).ToString(CultureInfo.InvariantCulture);
        return pick switch
        {
            3 => $$"""{"and":[{{Condition(random, audience, depth + 1)}},{{Condition(random, audience, depth + 1)}}]}""",
            4 => $$"""{"or":[{{Condition(random, audience, depth + 1)}},{{Condition(random, audience, depth + 1)}}]}""",
            5 => $$"""{"not":{{Condition(random, audience, depth + 1)}}}""",
            6 => $$"""{"trait":"plan","op":"equals","value":"p{{random.Next(5)}}"}""",
            7 => $$"""{"trait":"plan","op":"in","value":["p{{random.Next(5)}}","p{{random.Next(5)}}"]}""",
            8 => $$"""{"computed":"c{{random.Next(3)}}","op":"greaterThan","value":{{n}}}""",
            9 => $$"""{"computed":"c{{random.Next(3)}}","op":"exists"}""",
            10 => $$"""{"performed":"E{{random.Next(3)}}","atLeast":{{n}},"within":{{_windows[random.Next(_windows.Length)]}}}""",
            11 => $$"""{"notPerformed":"E{{random.Next(3)}}","within":{{_windows[random.Next(1, _windows.Length)]}}}""",
            12 => """{"has":"email"}""",
            _ => audience == 0 ? """{"has":"user_id"}""" : $$"""{"memberOf":"a{{random.Next(audience)}}"}""",
        };
    }

    // 40–80 messages over small pools of ids within the five days before "now", so that windows cut through them.
    private static List<string> Stream(PipelineDriver driver, Random random)
    {
        var count = random.Next(40, 80);
        var start = (driver.Now - PipelineDriver.T0).TotalMinutes - 5 * 24 * 60;
        var minutes = Enumerable.Range(0, count).Select(i => start + i * (5 * 24 * 60 / count)).OrderBy(_ => random.Next()).ToArray();
        var messages = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var anon = $"\"anonymousId\":\"a{random.Next(6)}\"";
            var user = random.Next(3) == 0 ? $",\"userId\":\"u{random.Next(4)}\"" : "";
            var email = random.Next(3) == 0 ? $"\"email\":\"e{random.Next(3)}@shop.dk\"," : "";
            var traits = $"{{{email}\"plan\":\"p{random.Next(5)}\"}}";
            var amount = random.Next(5) == 0 ? "\"free\"" : (random.Next(1, 400) / 4m).ToString(CultureInfo.InvariantCulture);
            var message = random.Next(5) switch
            {
                0 => driver.Message("identify", minutes[i], $"{anon}{user},\"traits\":{traits}"),
                1 => driver.Message("alias", minutes[i], $"\"previousId\":\"a{random.Next(6)}\",\"userId\":\"u{random.Next(4)}\""),
                _ => driver.Message("track", minutes[i], $"{anon}{user},\"event\":\"E{random.Next(3)}\",\"properties\":{{\"amount\":{amount}}},\"context\":{{\"traits\":{traits}}}"),
            };
            messages.Add(message);
        }

        return messages;
    }
}
