using Npgsql;
using Samlet.Storage;
using Samlet.Storage.Postgres;
using Samlet.Storage.Sqlite;

namespace Samlet.Server.Hosting;

/// <summary>
/// Which store to open and where: a data directory for SQLite, a connection string for PostgreSQL. Chosen by the
/// <c>Store</c> configuration section (<c>SAMLET__Store__Kind</c>, <c>SAMLET__Store__Connection</c>), which the
/// <c>--store</c> and <c>--connection</c> options override; SQLite in <c>--data</c> when nothing is said.
/// </summary>
internal sealed record StoreLocation(StoreKind Kind, string Target)
{
    public const string KindKey = "Store:Kind";
    public const string ConnectionKey = "Store:Connection";

    public static StoreLocation FromConfiguration(IConfiguration configuration, string dataDirectory)
    {
        var kind = ParseKind(configuration[KindKey] ?? "sqlite");
        if (kind == StoreKind.Sqlite)
        {
            return new StoreLocation(kind, dataDirectory);
        }

        var connection = configuration[ConnectionKey];
        if (string.IsNullOrWhiteSpace(connection))
        {
            throw new ArgumentException("The postgres store needs a connection string: --connection \"Host=...;Database=...;Username=...\" or SAMLET__Store__Connection.");
        }

        _ = new NpgsqlConnectionStringBuilder(connection); // a malformed string is a usage error (ArgumentException) now, not at first use
        return new StoreLocation(kind, connection);
    }

    /// <summary>Parses <c>sqlite:DIRECTORY</c> or <c>postgres:CONNECTION-STRING</c>.</summary>
    public static StoreLocation Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1)
        {
            throw new FormatException($"\"{text}\" names no store: write sqlite:DIRECTORY or postgres:CONNECTION-STRING.");
        }

        return new StoreLocation(ParseKind(text[..colon]), text[(colon + 1)..]);
    }

    public async Task<ICdpStore> OpenAsync(CancellationToken cancellationToken) => Kind switch
    {
        StoreKind.Postgres => await PostgresCdpStore.OpenAsync(Target, cancellationToken),
        _ => await SqliteCdpStore.OpenAsync(Target, cancellationToken),
    };

    /// <summary>For messages: never shows a password.</summary>
    public override string ToString()
    {
        if (Kind == StoreKind.Sqlite)
        {
            return $"the SQLite store in {Path.GetFullPath(Target)}";
        }

        var connection = new NpgsqlConnectionStringBuilder(Target);
        return $"the PostgreSQL database {connection.Database ?? connection.Username} on {connection.Host}:{connection.Port}";
    }

    private static StoreKind ParseKind(string kind) => kind.Trim().ToLowerInvariant() switch
    {
        "sqlite" => StoreKind.Sqlite,
        "postgres" or "postgresql" => StoreKind.Postgres,
        _ => throw new ArgumentException($"Unknown store \"{kind}\": use sqlite or postgres."),
    };
}
