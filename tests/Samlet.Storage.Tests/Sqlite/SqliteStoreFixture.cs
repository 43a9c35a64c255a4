using Samlet.Storage.Sqlite;
using Samlet.Storage.Tests.Contract;

namespace Samlet.Storage.Tests.Sqlite;

/// <summary>A SQLite store in a fresh temporary folder, removed afterwards.</summary>
public sealed class SqliteStoreFixture : StoreFixture
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "samlet-test-" + Guid.NewGuid().ToString("N"));

    protected override async Task<ICdpStore> OpenAsync() => await SqliteCdpStore.OpenAsync(_directory, CancellationToken.None);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
