namespace Samlet.Server.Hosting;

/// <summary>The stores Samlet runs on: the embedded SQLite file (default) or a PostgreSQL database.</summary>
internal enum StoreKind
{
    Sqlite,
    Postgres,
}
