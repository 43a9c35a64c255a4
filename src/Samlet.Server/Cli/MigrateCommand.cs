using System.CommandLine;

using System.Data.Common;

namespace Samlet.Server.Cli;

/// <summary><c>samlet migrate</c>: brings a store's schema up to date (serve and import do it too, at start).</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Data directory of the embedded store.", DefaultValueFactory = _ => "./samlet-data" };
        var storeArguments = new StoreArguments();
        var command = new Command("migrate", "Apply the store's pending schema migrations; safe to run again and from several machines at once.") { data };
        storeArguments.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            try
            {
                var location = storeArguments.Resolve(parse, parse.GetValue(data)!);
                await using var store = await location.OpenAsync(cancellationToken);
                await store.MigrateAsync(cancellationToken);
                await output.WriteLineAsync($"Migrated {location}.");
                return 0;
            }
            catch (ArgumentException e)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return InputCheckedAction.BadInput;
            }
            catch (DbException e)
            {
                await error.WriteLineAsync($"error: the store failed: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
