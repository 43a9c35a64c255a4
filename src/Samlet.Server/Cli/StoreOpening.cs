using System.CommandLine;
using System.Data.Common;
using System.Net.Sockets;
using Samlet.Server.Hosting;
using Samlet.Storage;

namespace Samlet.Server.Cli;

/// <summary>
/// The options of commands that read or rebuild an existing store (<c>--data</c>, <c>--store</c>, <c>--connection</c>,
/// and <c>--workspace</c> where a workspace matters), and opening it: unlike <c>serve</c> and <c>import</c>, these never
/// create a store, and say so when there is none or it cannot be reached.
/// </summary>
internal sealed class StoreOpening
{
    private readonly StoreArguments _store = new();

    public Option<string> Data { get; } = new("--data") { Description = "Data directory of the embedded store.", DefaultValueFactory = _ => "./samlet-data" };

    public Option<string?> Workspace { get; } = new("--workspace") { Description = "Workspace id (default: the first workspace, which is the only one unless you made more)." };

    public void AddTo(Command command, bool withWorkspace)
    {
        command.Options.Add(Data);
        if (withWorkspace)
        {
            command.Options.Add(Workspace);
        }

        _store.AddTo(command);
    }

    /// <summary>
    /// Checks the store options (<see cref="ArgumentException"/> when they name no store). Call it before checking
    /// other options: a command whose validators failed (errors that <see cref="StoreCheckedAction"/> reports itself)
    /// sees its other options without their default values.
    /// </summary>
    public void Check(ParseResult parse) => _store.Resolve(parse, parse.GetValue(Data)!);

    /// <summary>Opens and migrates the store the options name; <see cref="StoreUnavailableException"/> when it does not exist or does not answer.</summary>
    public async Task<ICdpStore> OpenAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var location = _store.Resolve(parse, parse.GetValue(Data)!);
        if (location.Kind == StoreKind.Sqlite && !Directory.Exists(location.Target))
        {
            throw new StoreUnavailableException($"There is no Samlet store in {Path.GetFullPath(location.Target)}: name its directory with --data DIR (or use --store postgres --connection CONN).");
        }

        ICdpStore? store = null;
        try
        {
            store = await location.OpenAsync(cancellationToken);
            if (!await store.IsReachableAsync(cancellationToken))
            {
                throw new StoreUnavailableException($"{Capitalised(location)} does not answer; nothing was read or changed.");
            }

            await store.MigrateAsync(cancellationToken);
            return store;
        }
        catch (Exception e) when (e is DbException or SocketException or TimeoutException)
        {
            if (store is not null)
            {
                await store.DisposeAsync();
            }

            throw new StoreUnavailableException($"{Capitalised(location)} cannot be reached ({e.Message}); nothing was read or changed.", e);
        }
        catch (StoreUnavailableException)
        {
            await store!.DisposeAsync();
            throw;
        }
    }

    /// <summary>The workspace <c>--workspace</c> names, else the first one; <see cref="UsageException"/> when there is none such.</summary>
    public async Task<string> WorkspaceAsync(ParseResult parse, ICdpStore store, CancellationToken cancellationToken)
    {
        var workspaces = await store.Sources.ListWorkspacesAsync(cancellationToken);
        if (parse.GetValue(Workspace) is { } named)
        {
            return workspaces.Any(w => w.Id == named) ? named : throw new UsageException($"There is no workspace \"{named}\" in this store.");
        }

        return workspaces.Count > 0 ? workspaces[0].Id : throw new StoreUnavailableException("The store has no workspace yet: start the server or import events first.");
    }

    private static string Capitalised(StoreLocation location)
    {
        var text = location.ToString();
        return char.ToUpperInvariant(text[0]) + text[1..];
    }
}
