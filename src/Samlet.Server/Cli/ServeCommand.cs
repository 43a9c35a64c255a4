using System.CommandLine;
using Samlet.Analytics.Runs;
using Samlet.Server.Hosting;
using Samlet.Storage;

namespace Samlet.Server.Cli;

/// <summary><c>samlet serve</c>: runs everything in one process on the embedded store.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Data directory of the embedded store.", DefaultValueFactory = _ => "./samlet-data" };
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on, separated by ';'.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var demo = new Option<bool>("--demo") { Description = "Load a year of demo shop data into a fresh data directory." };
        var demoCustomers = new Option<int>("--demo-customers") { Description = "Size of the demo shop.", DefaultValueFactory = _ => Demo.DemoOptions.DefaultCustomers };
        var roles = new Option<string>("--roles") { Description = "What this instance does: all, or any of ingest, pipeline, ui, delivery (comma-separated). Default: SAMLET__Roles, else all." };
        roles.Validators.Add(result =>
        {
            try
            {
                ServerRoles.Parse(result.GetValue(roles));
            }
            catch (ArgumentException e)
            {
                result.AddError(e.Message);
            }
        });
        var store = new StoreArguments();
        var command = new Command("serve", "Start Samlet: Tracking API, admin and read APIs, on the embedded SQLite store or PostgreSQL.") { data, urls, demo, demoCustomers, roles };
        store.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var overrides = store.Overrides(parse);
            if (parse.GetValue(roles) is { } given)
            {
                overrides[ServerRoles.Key] = given;
            }

            var settings = new ServeSettings(
                parse.GetValue(data)!,
                parse.GetValue(urls)!,
                parse.GetValue(demo),
                Environment.GetEnvironmentVariable("SAMLET_WRITE_KEY") is { Length: > 0 } w ? w : null,
                Environment.GetEnvironmentVariable("SAMLET_ADMIN_KEY") is { Length: > 0 } a ? a : null,
                overrides);
            var (built, keys) = await SamletApp.BuildAsync(settings, cancellationToken: cancellationToken);
            // Disposing the app disposes the store after the committer: SQLite checkpoints and closes its log.
            await using var app = built;
            if (keys is not null)
            {
                // Shown once, on the console only (never logged): the store keeps just their hashes.
                Console.WriteLine($"""
                    Created workspace {keys.WorkspaceId} with source {keys.SourceId}.
                      Write key (for SDKs):      {keys.WriteKey}
                      Admin API key (for /api):  {keys.AdminKey}
                    Keep them: they are stored hashed and will not be shown again.
                    """);
            }

            await app.StartAsync(cancellationToken);
            if (keys is not null && settings.Demo)
            {
                // Serving already: the demo's events appear in the APIs as they load.
                var served = app.Services.GetRequiredService<ICdpStore>();
                await DemoDefinitions.PutAsync(served, keys.WorkspaceId, TimeProvider.System.GetUtcNow(), cancellationToken);
                await DemoLoader.LoadAsync(served, keys.SourceId, parse.GetValue(demoCustomers), TimeProvider.System, Console.Out, cancellationToken);
                // Runs once the pipeline has caught up with the year just loaded: the demo's profiles get their predictions.
                await app.Services.GetRequiredService<AnalyticsJob>().RequestAsync(keys.WorkspaceId, "demo", cancellationToken);
            }

            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
