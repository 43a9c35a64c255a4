namespace Samlet.Storage.Sqlite;

/// <summary>The embedded store.</summary>
public sealed class SqliteCdpStore
{
}
