using System.Text;
using Npgsql;
using Samlet.Events;
using Samlet.Identity;
using Samlet.Pipeline;
using Samlet.Profiles;
using Samlet.Storage.Postgres;
using Samlet.Tests.Shared;

namespace Samlet.Storage.Tests.Postgres;

/// <summary>On a cluster of its own, which it stops and starts again.</summary>
public sealed class ConnectionLossTests
{
    private static CollectedEvent Event(string messageId) =>
        new("src_a", messageId, EventType.Track, "Viewed", "u1", null, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), Encoding.UTF8.GetBytes("{}"));

    [Fact]
    public async Task Appends_fail_while_PostgreSQL_is_down_and_succeed_again_once_it_is_back()
    {
        using var cluster = await PostgresCluster.StartAsync();
        await using var store = await PostgresCdpStore.OpenAsync(cluster.ConnectionString, CancellationToken.None);
        await store.MigrateAsync(CancellationToken.None);
        Assert.Equal(1, (await store.Events.AppendAsync([Event("before")], [], CancellationToken.None)).Stored);

        await cluster.StopAsync();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => store.Events.AppendAsync([Event("down")], [], CancellationToken.None));
        Assert.False(await store.IsReachableAsync(CancellationToken.None));

        await cluster.StartAgainAsync();
        Assert.True(await store.IsReachableAsync(CancellationToken.None));
        Assert.Equal(1, (await store.Events.AppendAsync([Event("after")], [], CancellationToken.None)).Stored);
        Assert.Equal(["before", "after"], (await store.Events.ReadAfterAsync(0, 10, CancellationToken.None)).Select(e => e.MessageId));
    }

    [Fact]
    public async Task The_first_appends_and_reads_after_a_restart_without_traffic_succeed_though_the_pool_held_dead_connections()
    {
        using var cluster = await PostgresCluster.StartAsync();
        await using var store = await PostgresCdpStore.OpenAsync(cluster.ConnectionString, CancellationToken.None);
        await store.MigrateAsync(CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => store.Events.AppendAsync([Event($"warm{i}")], [], CancellationToken.None)));

        await cluster.StopAsync();
        await cluster.StartAgainAsync();

        // Each of these may take one of the dead connections; none may fail.
        var appends = Enumerable.Range(0, 3).Select(i => store.Events.AppendAsync([Event($"after{i}")], [], CancellationToken.None)).ToList();
        var reads = Enumerable.Range(0, 3).Select(_ => store.Events.ReadAfterAsync(0, 100, CancellationToken.None)).ToList();
        await Task.WhenAll(Task.WhenAll(appends), Task.WhenAll(reads));
        Assert.Equal(9, await store.Events.CountAsync(CancellationToken.None));
    }

    private static ChangeSet Batch(long from, long to, string profileId)
    {
        var changes = new ChangeSet { Checkpoints = { new CheckpointMove(PipelineWorker.Consumer, from, to) } };
        changes.Profiles.Add(new ProfileState(profileId, "ws", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)));
        changes.Identifiers.Add(new ProfileIdentifier("ws", profileId, new Identifier("user_id", profileId), new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)));
        return changes;
    }

    [Fact]
    public async Task A_change_set_fails_whole_while_PostgreSQL_is_down_and_applies_once_it_is_back()
    {
        using var cluster = await PostgresCluster.StartAsync();
        await using var store = await PostgresCdpStore.OpenAsync(cluster.ConnectionString, CancellationToken.None);
        await store.MigrateAsync(CancellationToken.None);
        await store.ApplyAsync(Batch(0, 1, "prf_before"), CancellationToken.None);

        await cluster.StopAsync();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => store.ApplyAsync(Batch(1, 2, "prf_down"), CancellationToken.None));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => store.Profiles.GetCheckpointAsync(PipelineWorker.Consumer, CancellationToken.None));

        await cluster.StartAgainAsync();
        Assert.Equal(1, await store.Profiles.GetCheckpointAsync(PipelineWorker.Consumer, CancellationToken.None));
        Assert.Null(await store.Profiles.GetProfileAsync("ws", "prf_down", CancellationToken.None));
        await store.ApplyAsync(Batch(1, 2, "prf_after"), CancellationToken.None);
        Assert.Equal(2, await store.Profiles.GetCheckpointAsync(PipelineWorker.Consumer, CancellationToken.None));
        Assert.Equal(2, await store.Profiles.CountProfilesAsync("ws", CancellationToken.None));
    }

    [Fact]
    public async Task The_first_change_set_and_profile_reads_after_a_restart_succeed_though_the_pool_held_dead_connections()
    {
        using var cluster = await PostgresCluster.StartAsync();
        await using var store = await PostgresCdpStore.OpenAsync(cluster.ConnectionString, CancellationToken.None);
        await store.MigrateAsync(CancellationToken.None);
        await store.ApplyAsync(Batch(0, 1, "prf_1"), CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => store.Profiles.GetProfileAsync("ws", "prf_1", CancellationToken.None)));

        await cluster.StopAsync();
        await cluster.StartAgainAsync();

        // Each of these may take one of the dead connections; none may fail.
        var apply = store.ApplyAsync(Batch(1, 2, "prf_2"), CancellationToken.None);
        var rules = store.Profiles.SetIdentityRulesAsync("ws", "{}", CancellationToken.None);
        var reads = Enumerable.Range(0, 3).Select(_ => store.Profiles.GetIdentifiersAsync("prf_1", CancellationToken.None)).ToList();
        await Task.WhenAll(apply, rules);
        Assert.All(await Task.WhenAll(reads), held => Assert.Single(held));
        Assert.Equal(2, await store.Profiles.GetCheckpointAsync(PipelineWorker.Consumer, CancellationToken.None));
    }
}
