using Samlet.Storage.Postgres;
using Samlet.Storage.Tests.Contract;
using Samlet.Tests.Shared;

namespace Samlet.Storage.Tests.Postgres;

/// <summary>A PostgreSQL store on a fresh database of the shared test server, dropped afterwards.</summary>
public sealed class PostgresStoreFixture : StoreFixture
{
    private string? _connectionString;

    /// <summary>The test database's connection string (after <see cref="StoreFixture.InitializeAsync"/>).</summary>
    public string ConnectionString => _connectionString!;

    protected override async Task<ICdpStore> OpenAsync()
    {
        _connectionString ??= await PostgresTestServer.CreateDatabaseAsync();
        return await PostgresCdpStore.OpenAsync(_connectionString, CancellationToken.None);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_connectionString is not null)
        {
            await PostgresTestServer.DropDatabaseAsync(_connectionString);
        }
    }
}
