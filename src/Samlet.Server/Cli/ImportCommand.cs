using System.CommandLine;
using System.Diagnostics;
using Samlet.Ingestion;
using Samlet.Server.Hosting;
using Spectre.Console;

namespace Samlet.Server.Cli;

/// <summary><c>samlet import FILE</c>: loads Segment events from JSONL (or .gz) into the event log, idempotently.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "JSONL file of Segment events, one per line; gzip is recognised." };
        var data = new Option<string>("--data") { Description = "Data directory of the embedded store.", DefaultValueFactory = _ => "./samlet-data" };
        var source = new Option<string?>("--source") { Description = "Id of the source the events belong to (default: the first source)." };
        var storeArguments = new StoreArguments();
        var command = new Command("import", "Import Segment events from a JSONL file, skipping events already imported (by messageId).") { file, data, source };
        storeArguments.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            // The invocation's writers and a console of its own (not the global one): two imports in one process, as
            // in tests, must not share Spectre's one-live-display-at-a-time lock.
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var input = parse.GetValue(file)!;
            if (!input.Exists)
            {
                await error.WriteLineAsync($"No such file: {input.FullName}");
                return 2;
            }

            await using var store = await storeArguments.Resolve(parse, parse.GetValue(data)!).OpenAsync(cancellationToken);
            await store.MigrateAsync(cancellationToken);
            var keys = await FirstStart.EnsureWorkspaceAsync(store, new ServeSettings(parse.GetValue(data)!, ""), TimeProvider.System, cancellationToken);
            if (keys is not null)
            {
                await output.WriteLineAsync($"Created workspace {keys.WorkspaceId}: write key {keys.WriteKey}, admin API key {keys.AdminKey} (shown once).");
            }

            var sourceId = parse.GetValue(source);
            if (sourceId is null)
            {
                var workspace = (await store.Sources.ListWorkspacesAsync(cancellationToken))[0];
                sourceId = (await store.Sources.ListSourcesAsync(workspace.Id, cancellationToken))[0].Id;
            }
            else if (await store.Sources.GetSourceAsync(sourceId, cancellationToken) is null)
            {
                await error.WriteLineAsync($"There is no source \"{sourceId}\".");
                return 2;
            }

            var importer = new EventImporter(store.Events, new EventNormalizer(new IngestionLimits()), TimeProvider.System);
            var clock = Stopwatch.StartNew();
            await using var stream = input.OpenRead();
            ImportResult result = default;
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask(input.Name, maxValue: Math.Max(1, input.Length));
                    result = await importer.ImportAsync(stream, sourceId, new Progress<long>(bytes => task.Value = bytes), cancellationToken);
                    task.Value = task.MaxValue;
                });
            var seconds = clock.Elapsed.TotalSeconds;
            await output.WriteLineAsync($"{result} in {seconds:0.0} s ({(result.Stored + result.Duplicates + result.Rejected) / Math.Max(seconds, 1e-3):N0} events/s).");
            return 0;
        });
        return command;
    }
}
