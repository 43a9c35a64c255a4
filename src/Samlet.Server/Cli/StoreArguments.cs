using System.CommandLine;
using Samlet.Server.Hosting;

namespace Samlet.Server.Cli;

/// <summary><c>--store</c> and <c>--connection</c>: the options that choose the store, over the <c>SAMLET__Store__*</c> settings.</summary>
internal sealed class StoreArguments
{
    public Option<string?> Kind { get; } = new("--store")
    {
        Description = "The store: sqlite (the default, in --data) or postgres (with --connection). Also SAMLET__Store__Kind.",
    };

    public Option<string?> Connection { get; } = new("--connection")
    {
        Description = "PostgreSQL connection string, e.g. \"Host=db;Database=samlet;Username=samlet;Password=...\". Also SAMLET__Store__Connection.",
    };

    public void AddTo(Command command)
    {
        Kind.AcceptOnlyFromAmong("sqlite", "postgres");
        command.Options.Add(Kind);
        command.Options.Add(Connection);
        // A postgres store without a connection string is a usage error, reported before the command runs.
        command.Validators.Add(result =>
        {
            try
            {
                Resolve(Overrides(result.GetValue(Kind), result.GetValue(Connection)), "");
            }
            catch (ArgumentException e)
            {
                result.AddError(e.Message);
            }
        });
    }

    /// <summary>The options given, as configuration that overrides the environment.</summary>
    public Dictionary<string, string?> Overrides(ParseResult parse) => Overrides(parse.GetValue(Kind), parse.GetValue(Connection));

    /// <summary>The store chosen by the options, else by <c>SAMLET__Store__*</c>, else SQLite in <paramref name="dataDirectory"/>.</summary>
    public StoreLocation Resolve(ParseResult parse, string dataDirectory) => Resolve(Overrides(parse), dataDirectory);

    private static StoreLocation Resolve(Dictionary<string, string?> overrides, string dataDirectory) =>
        StoreLocation.FromConfiguration(
            new ConfigurationBuilder().AddEnvironmentVariables("SAMLET__").AddInMemoryCollection(overrides).Build(),
            dataDirectory);

    private static Dictionary<string, string?> Overrides(string? kind, string? connection)
    {
        var overrides = new Dictionary<string, string?>();
        if (kind is not null)
        {
            overrides[StoreLocation.KindKey] = kind;
        }

        if (connection is not null)
        {
            overrides[StoreLocation.ConnectionKey] = connection;
        }

        return overrides;
    }
}
