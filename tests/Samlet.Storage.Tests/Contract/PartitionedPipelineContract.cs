using Samlet.Pipeline;
using Samlet.Sources;

namespace Samlet.Storage.Tests.Contract;

/// <summary>
/// The pipeline split into partitions of whole workspaces (ADR 11): workspaces get partitions round robin, a change set
/// moves several checkpoints or none, and workers of two instances sharing the partitions — while partitions move
/// between them, one dies and comes back, and both hold the same ones for a while — end with exactly the profiles one
/// worker derives from the same log (seeded, so a failure names its seed).
/// </summary>
public abstract class PartitionedPipelineContract<TFixture> : IAsyncLifetime
    where TFixture : StoreFixture, new()
{
    private static readonly IReadOnlySet<int> _even = PipelinePartitions.ShareOf(0, 2);
    private static readonly IReadOnlySet<int> _odd = PipelinePartitions.ShareOf(1, 2);
    private static readonly IReadOnlySet<int> _none = new HashSet<int>();
    private readonly TFixture _fixture = new();

    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 8)];

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task Workspaces_get_partitions_round_robin_in_creation_order()
    {
        for (var i = 0; i < 10; i++)
        {
            await _fixture.Store.Sources.CreateWorkspaceAsync(new Workspace($"ws{i:D2}", "w", PipelineDriver.T0.AddMinutes(i)) { Partition = 5 }, CancellationToken.None);
        }

        var workspaces = await _fixture.Store.Sources.ListWorkspacesAsync(CancellationToken.None);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 0, 1], workspaces.Select(w => w.Partition));
        Assert.Equal(PipelinePartitions.Count, PipelinePartitions.All.Count);
        Assert.Equal([0, 3, 6], PipelinePartitions.ShareOf(0, 3).Order());
        Assert.Equal([2, 5], PipelinePartitions.ShareOf(2, 3).Order());
    }

    [Fact]
    public async Task A_partitions_read_returns_their_workspaces_events_in_log_order_up_to_the_bound()
    {
        var driver = new PipelineDriver(_fixture.Store);
        await driver.AddWorkspaceAsync("ws_a", "src_a"); // partition 0
        await driver.AddWorkspaceAsync("ws_b", "src_b"); // partition 1
        await driver.AddWorkspaceAsync("ws_c", "src_c"); // partition 2
        for (var i = 0; i < 4; i++)
        {
            foreach (var source in new[] { "src_a", "src_b", "src_c" })
            {
                await driver.SendAsync(source, driver.Message("track", i, """ "userId":"u","event":"E" """));
            }
        }

        var log = _fixture.Store.Events;
        var read = await log.ReadPartitionsAfterAsync(0, 12, 100, [0, 2], CancellationToken.None);
        Assert.Equal([1, 3, 4, 6, 7, 9, 10, 12], read.Select(e => e.Sequence));
        Assert.Equal([4, 6, 7], (await log.ReadPartitionsAfterAsync(3, 8, 100, [0, 2], CancellationToken.None)).Select(e => e.Sequence));
        Assert.Equal([2, 5], (await log.ReadPartitionsAfterAsync(0, 12, 2, [1], CancellationToken.None)).Select(e => e.Sequence));
        Assert.Empty(await log.ReadPartitionsAfterAsync(0, 12, 100, [5], CancellationToken.None));
    }

    [Fact]
    public async Task A_change_set_moves_all_its_checkpoints_or_none()
    {
        var store = _fixture.Store;
        await store.ApplyAsync(new ChangeSet { Checkpoints = { new("profiles/0", 0, 5), new("profiles/1", 0, 5) } }, CancellationToken.None);

        var stale = new ChangeSet { Checkpoints = { new("profiles/0", 5, 9), new("profiles/1", 4, 9) } };
        var refused = await Assert.ThrowsAsync<CheckpointConflictException>(() => store.ApplyAsync(stale, CancellationToken.None));

        Assert.Contains("profiles/1", refused.Message, StringComparison.Ordinal);
        Assert.Equal(5, await store.Profiles.GetCheckpointAsync("profiles/0", CancellationToken.None));
        Assert.Equal(5, await store.Profiles.GetCheckpointAsync("profiles/1", CancellationToken.None));
    }

    [Fact]
    public async Task A_worker_processes_only_the_workspaces_of_its_partitions_and_one_taking_over_catches_up()
    {
        var driver = new PipelineDriver(_fixture.Store);
        await driver.AddWorkspaceAsync("ws_a", "src_a"); // partition 0
        await driver.AddWorkspaceAsync("ws_b", "src_b"); // partition 1
        await driver.SendAsync("src_a", driver.Message("identify", 0, """ "userId":"ua" """));
        await driver.SendAsync("src_b", driver.Message("identify", 1, """ "userId":"ub" """));

        var odd = new PipelineWorker(_fixture.Store, driver.Time) { Partitions = _odd };
        Assert.Equal(1, await odd.CatchUpAsync(null, CancellationToken.None)); // sharing the partitions, it reads only its own
        Assert.Null(await driver.ProfileOfAsync("ws_a", "user_id:ua"));
        Assert.NotNull(await driver.ProfileOfAsync("ws_b", "user_id:ub"));
        Assert.Equal(0, await PipelinePartitions.CheckpointOfAsync(_fixture.Store, "ws_a", CancellationToken.None));
        Assert.Equal(2, await PipelinePartitions.CheckpointOfAsync(_fixture.Store, "ws_b", CancellationToken.None));
        Assert.Equal(0, await PipelinePartitions.LowestCheckpointAsync(_fixture.Store, CancellationToken.None));

        await driver.SendAsync("src_b", driver.Message("track", 2, """ "userId":"ub","event":"E" """));
        var all = new PipelineWorker(_fixture.Store, driver.Time);
        Assert.Equal(3, await all.CatchUpAsync(null, CancellationToken.None));
        Assert.Single((await driver.ProfileOfAsync("ws_a", "user_id:ua"))!.Events);
        Assert.Equal(2, (await driver.ProfileOfAsync("ws_b", "user_id:ub"))!.Events.Count);
        Assert.Equal(3, await PipelinePartitions.LowestCheckpointAsync(_fixture.Store, CancellationToken.None));
    }

    [Fact]
    public async Task Partitions_without_workspaces_read_nothing_and_a_first_workspace_starts_at_the_end_of_the_log()
    {
        var driver = new PipelineDriver(_fixture.Store);
        await driver.AddWorkspaceAsync("ws_a", "src_a"); // partition 0
        await driver.SendAsync("src_a", driver.Message("identify", 0, """ "userId":"u1" """), driver.Message("identify", 1, """ "userId":"u2" """));

        // Odd partitions hold no workspace yet: nothing to read, no checkpoint moves, and the lag is partition 0's.
        var odd = new PipelineWorker(_fixture.Store, driver.Time) { Partitions = _odd };
        Assert.Equal(0, await odd.CatchUpAsync(null, CancellationToken.None));
        Assert.Equal(0, await _fixture.Store.Profiles.GetCheckpointAsync(PipelinePartitions.ConsumerOf(1), CancellationToken.None));
        Assert.Equal(2, (await odd.GetLagAsync(CancellationToken.None)).EventsBehind);

        // The first workspace of partition 1 starts its checkpoint at the end of the log: the odd worker reads only its events.
        await driver.AddWorkspaceAsync("ws_b", "src_b");
        Assert.Equal(2, await PipelinePartitions.CheckpointOfAsync(_fixture.Store, "ws_b", CancellationToken.None));
        await driver.SendAsync("src_b", driver.Message("identify", 2, """ "userId":"ub" """));
        Assert.Equal(1, await odd.CatchUpAsync(null, CancellationToken.None));
        Assert.NotNull(await driver.ProfileOfAsync("ws_b", "user_id:ub"));
        Assert.Null(await driver.ProfileOfAsync("ws_a", "user_id:u1"));
    }

    [Fact]
    public async Task A_workspace_created_during_a_catch_up_in_an_empty_partition_is_processed_by_it()
    {
        var driver = new PipelineDriver(_fixture.Store);
        await driver.AddWorkspaceAsync("ws_a", "src_a"); // partition 0
        await driver.SendAsync("src_a", [.. Enumerable.Range(0, 6).Select(i => driver.Message("track", i, $""" "userId":"u{i}","event":"E" """))]);
        // Each batch applied on its own, so that progress is reported between batches, and read ahead by as little as can be.
        var all = new PipelineWorker(_fixture.Store, driver.Time) { BatchSize = 2, EventsPerCommit = 2, ReadAheadBatches = 1 };
        var created = false;
        var progress = new SynchronousProgress(_ =>
        {
            if (!created)
            {
                // Between two batches of the catch-up (the next one is being read ahead already).
                created = true;
                driver.AddWorkspaceAsync("ws_b", "src_b").GetAwaiter().GetResult(); // partition 1
                driver.SendAsync("src_b", driver.Message("identify", 9, """ "userId":"ub" """)).GetAwaiter().GetResult();
            }
        });

        await all.CatchUpAsync(progress, CancellationToken.None);

        Assert.NotNull(await driver.ProfileOfAsync("ws_b", "user_id:ub"));
        Assert.Equal(6, (await driver.AllProfilesAsync("ws_a")).Count);
        Assert.Equal(0, (await all.GetLagAsync(CancellationToken.None)).EventsBehind);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Two_instances_sharing_the_partitions_derive_what_one_worker_derives(int seed)
    {
        var random = new Random(seed);
        var driver = new PipelineDriver(_fixture.Store);
        string[] workspaces = ["ws_0", "ws_1", "ws_2"]; // partitions 0, 1, 2
        foreach (var workspace in workspaces)
        {
            await driver.AddWorkspaceAsync(workspace, "src" + workspace[2..]);
        }

        // Each workspace's own random stream, interleaved at random in the log.
        var streams = workspaces.Select(w => new Queue<string>(PipelinePropertyContract<TFixture>.Stream(driver, random, withAliases: true))).ToArray();
        await using var other = await _fixture.OpenAnotherAsync();
        var first = new PipelineWorker(_fixture.Store, driver.Time) { BatchSize = random.Next(1, 8), Partitions = _even };
        var second = new PipelineWorker(other, driver.Time) { BatchSize = random.Next(1, 8), Partitions = _odd };
        var conflicts = 0;
        while (streams.Any(s => s.Count > 0))
        {
            var chunk = random.Next(streams.Length);
            var sourceId = "src" + workspaces[chunk][2..];
            var messages = Enumerable.Range(0, random.Next(1, 6)).Where(_ => streams[chunk].Count > 0).Select(_ => streams[chunk].Dequeue()).ToArray();
            await driver.SendAsync(sourceId, messages);

            // Partitions move: the second instance dies (the first takes everything), comes back, or both briefly hold all.
            (first.Partitions, second.Partitions) = random.Next(10) switch
            {
                0 => (PipelinePartitions.All, _none),
                1 => (_odd, _even),
                2 => (PipelinePartitions.All, PipelinePartitions.All),
                3 or 4 => (_even, _odd),
                _ => (first.Partitions, second.Partitions),
            };
            conflicts += await RunBothAsync(first, second, random.Next(0, 3));
        }

        (first.Partitions, second.Partitions) = (_even, _odd);
        await Task.WhenAll(first.CatchUpAsync(null, CancellationToken.None), second.CatchUpAsync(null, CancellationToken.None));
        var last = await _fixture.Store.Events.LastSequenceAsync(CancellationToken.None);
        Assert.Equal(last, await PipelinePartitions.LowestCheckpointAsync(_fixture.Store, CancellationToken.None));
        var shared = await DumpAsync(driver, workspaces);

        await new PipelineWorker(_fixture.Store, driver.Time) { BatchSize = 1000 }.RebuildAsync(null, CancellationToken.None);
        var single = await DumpAsync(driver, workspaces);
        Assert.True(shared == single, $"seed {seed} ({conflicts} refused batches): two instances and one worker differ.\nTWO:\n{shared}\nONE:\n{single}");
    }

    // Runs a few batches on both workers at once; a batch refused because the other moved the checkpoint first is normal.
    private static async Task<int> RunBothAsync(PipelineWorker first, PipelineWorker second, int runs)
    {
        var conflicts = 0;
        async Task RunAsync(PipelineWorker worker)
        {
            for (var i = 0; i < runs; i++)
            {
                try
                {
                    await worker.RunOnceAsync(CancellationToken.None);
                }
                catch (CheckpointConflictException)
                {
                    Interlocked.Increment(ref conflicts);
                }
            }
        }

        await Task.WhenAll(Task.Run(() => RunAsync(first)), Task.Run(() => RunAsync(second)));
        return conflicts;
    }

    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }

    private static async Task<string> DumpAsync(PipelineDriver driver, string[] workspaces)
    {
        var text = new System.Text.StringBuilder();
        foreach (var workspace in workspaces)
        {
            text.AppendLine("# " + workspace).Append(await driver.DumpAsync(workspace));
        }

        return text.ToString();
    }
}
