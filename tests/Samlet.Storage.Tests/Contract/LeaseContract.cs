namespace Samlet.Storage.Tests.Contract;

/// <summary>Leases: one holder at a time among all stores on one database, free again when the holder lets go.</summary>
public abstract class LeaseContract<TFixture> : IAsyncLifetime
    where TFixture : StoreFixture, new()
{
    protected TFixture Fixture { get; } = new();

    public Task InitializeAsync() => Fixture.InitializeAsync();

    public Task DisposeAsync() => Fixture.DisposeAsync();

    [Fact]
    public async Task A_lease_has_one_holder_among_instances_until_it_is_let_go()
    {
        await using var other = await Fixture.OpenAnotherAsync();

        var held = await Fixture.Store.TryLeaseAsync("pipeline", CancellationToken.None);
        Assert.NotNull(held);
        Assert.True(await held.IsHeldAsync(CancellationToken.None));
        Assert.Null(await other.TryLeaseAsync("pipeline", CancellationToken.None));
        Assert.Null(await Fixture.Store.TryLeaseAsync("pipeline", CancellationToken.None));
        await using (var unrelated = await other.TryLeaseAsync("delivery", CancellationToken.None))
        {
            Assert.NotNull(unrelated);
        }

        await held.DisposeAsync();
        await using var taken = await other.TryLeaseAsync("pipeline", CancellationToken.None);
        Assert.NotNull(taken);
    }
}
