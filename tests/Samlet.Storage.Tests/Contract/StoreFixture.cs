
namespace Samlet.Storage.Tests.Contract;

/// <summary>How a backend's contract tests get a fresh, migrated store, and the same store opened again.</summary>
public abstract class StoreFixture : IAsyncLifetime
{
    public ICdpStore Store { get; private set; } = null!;

    protected abstract Task<ICdpStore> OpenAsync();

    /// <summary>Opens the same database a second time, as another instance would (the caller disposes it).</summary>
    public Task<ICdpStore> OpenAnotherAsync() => OpenAsync();

    /// <summary>Closes the store and opens the same database again, as a restart would.</summary>
    public async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        Store = await OpenAsync();
    }

    public async Task InitializeAsync()
    {
        Store = await OpenAsync();
        await Store.MigrateAsync(CancellationToken.None);
    }

    public virtual async Task DisposeAsync() => await Store.DisposeAsync();
}
