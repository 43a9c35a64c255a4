using Npgsql;
using Samlet.Storage.Tests.Contract;

namespace Samlet.Storage.Tests.Postgres;

public sealed class PostgresLeaseTests : LeaseContract<PostgresStoreFixture>
{
    [Fact]
    public async Task A_lease_whose_connection_dies_is_lost_and_free_for_another_instance()
    {
        await using var other = await Fixture.OpenAnotherAsync();
        var held = await Fixture.Store.TryLeaseAsync("pipeline", CancellationToken.None);
        Assert.NotNull(held);

        // As when the holding instance is killed: the server ends its session.
        await using (var admin = new NpgsqlConnection(Fixture.ConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%pg_try_advisory_lock%'", admin);
            Assert.Equal(1L, await kill.ExecuteScalarAsync());
        }

        Assert.False(await held.IsHeldAsync(CancellationToken.None));
        await held.DisposeAsync();
        // The terminated backend lets go of its locks when it has exited: poll for a few seconds.
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        ILease? taken;
        var attempts = 0;
        while ((taken = await other.TryLeaseAsync("pipeline", CancellationToken.None)) is null && ++attempts < 100)
        {
            await timer.WaitForNextTickAsync();
        }

        Assert.NotNull(taken);
        await taken.DisposeAsync();
    }
}
