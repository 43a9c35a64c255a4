using Samlet.Storage.Sqlite;

namespace Samlet.Storage.Tests.Sqlite;

public sealed class SqliteStoreDisposalTests : IAsyncLifetime
{
    private readonly SqliteStoreFixture _fixture = new();

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task A_write_that_waits_for_the_writer_while_the_store_is_disposed_fails_instead_of_waiting_forever()
    {
        // A group commit's first write racing a shutdown hung once (GroupCommitterContract): the disposed store had left
        // its writer's lock taken, so a write already queued for it was never let in.
        var store = (SqliteCdpStore)_fixture.Store;
        var holding = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var first = store.WriteAsync(async _ => { holding.SetResult(); await release.Task; }, CancellationToken.None);
        await holding.Task;
        var disposing = store.DisposeAsync().AsTask();
        var queued = store.WriteAsync(_ => Task.CompletedTask, CancellationToken.None);

        release.SetResult();
        await first;
        await disposing;
        await Assert.ThrowsAsync<ObjectDisposedException>(() => queued.WaitAsync(TimeSpan.FromSeconds(30)));
        await _fixture.ReopenAsync();
    }
}
