using Samlet.Tests.Shared;

namespace Samlet.Server.Tests.Analytics;

public sealed class PostgresAnalyticsApiTests : AnalyticsApiTests
{
    private string? _connection;

    protected override async Task<Dictionary<string, string?>> StoreAsync()
    {
        _connection = await PostgresTestServer.CreateDatabaseAsync();
        return new() { ["Store:Kind"] = "postgres", ["Store:Connection"] = _connection };
    }

    protected override async Task DropStoreAsync()
    {
        if (_connection is not null)
        {
            await PostgresTestServer.DropDatabaseAsync(_connection);
        }
    }
}
