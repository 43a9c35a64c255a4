using System.CommandLine;
using System.Diagnostics;
using Samlet.Events;
using Samlet.Ingestion;
using Samlet.Server.Hosting;
using Spectre.Console;

namespace Samlet.Server.Cli;

/// <summary><c>samlet import FILE</c>: loads Segment events from JSONL or CSV (or either gzipped) into the event log, idempotently.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "JSONL file of Segment events, one per line, or CSV with a header row; gzip is recognised; - reads standard input." };
        var format = new Option<string?>("--format") { Description = "jsonl or csv (default: csv for .csv, .tsv and .csv.gz files, jsonl otherwise)." };
        format.AcceptOnlyFromAmong("jsonl", "csv");
        var type = new Option<string?>("--type") { Description = "CSV: the call each row is, unless it has a type column (default: track when there is an event column, identify when not)." };
        type.AcceptOnlyFromAmong("identify", "track", "page", "screen", "group", "alias");
        var dryRun = new Option<bool>("--dry-run") { Description = "Read and validate the file and show the first events as they would be stored; store nothing." };
        var data = new Option<string>("--data") { Description = "Data directory of the embedded store.", DefaultValueFactory = _ => "./samlet-data" };
        var source = new Option<string?>("--source") { Description = "Id of the source the events belong to (default: the first source)." };
        var storeArguments = new StoreArguments();
        var command = new Command("import", "Import Segment events from a JSONL or CSV file, skipping events already imported (by messageId).") { file, data, source, format, type, dryRun };
        storeArguments.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            // The invocation's writers and a console of its own (not the global one): two imports in one process, as
            // in tests, must not share Spectre's one-live-display-at-a-time lock.
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var input = parse.GetValue(file)!;
            var fromStandardInput = input.Name == "-";
            var name = fromStandardInput ? "standard input" : input.Name;
            if (!fromStandardInput && !input.Exists)
            {
                await error.WriteLineAsync($"No such file: {input.FullName}");
                return InputCheckedAction.BadInput;
            }

            var csv = (parse.GetValue(format) ?? (IsCsvName(input.Name) ? "csv" : "jsonl")) == "csv";
            EventType? rowType = parse.GetValue(type) is { } typeName && EventTypes.TryParse(typeName, out var parsedType) ? parsedType : null;
            if (rowType is not null && !csv)
            {
                await error.WriteLineAsync("--type applies to CSV files: in JSONL every line says its type.");
                return InputCheckedAction.BadInput;
            }

            var importFormat = new ImportFormat(csv, rowType);
            var importer = new EventImporter(new EventNormalizer(new IngestionLimits()), TimeProvider.System);
            await using var stream = fromStandardInput ? Console.OpenStandardInput() : input.OpenRead();
            if (parse.GetValue(dryRun))
            {
                return await PreviewAsync(importer, stream, name, importFormat, output, error, cancellationToken);
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
                return InputCheckedAction.BadInput;
            }

            var clock = Stopwatch.StartNew();
            ImportResult result = default;
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
            try
            {
                await console.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .StartAsync(async progress =>
                    {
                        var task = progress.AddTask(name, maxValue: fromStandardInput ? 1 : Math.Max(1, input.Length));
                        task.IsIndeterminate = fromStandardInput; // a pipe has no length to measure against
                        result = await importer.ImportAsync(store.Events, stream, sourceId, importFormat, fromStandardInput ? null : new Progress<long>(bytes => task.Value = bytes), cancellationToken);
                        task.Value = task.MaxValue;
                    });
            }
            catch (InvalidDataException e)
            {
                await CannotReadAsync(error, name, e);
                await error.WriteLineAsync("What came before that point was imported; fix the file and import it again (events already imported are skipped).");
                return InputCheckedAction.BadInput;
            }

            var seconds = clock.Elapsed.TotalSeconds;
            await output.WriteLineAsync($"{result} in {seconds:0.0} s ({(result.Stored + result.Duplicates + result.Rejected) / Math.Max(seconds, 1e-3):N0} events/s).");
            return 0;
        });
        return command;
    }

    private static async Task<int> PreviewAsync(EventImporter importer, Stream stream, string name, ImportFormat format, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        const int Examples = 3;
        ImportPreview preview;
        try
        {
            preview = await importer.PreviewAsync(stream, format, Examples, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            await CannotReadAsync(error, name, e);
            return InputCheckedAction.BadInput;
        }

        await output.WriteLineAsync($"Dry run, nothing stored: {preview.Read} {preview.Units}, {preview.Valid} events to store, {preview.Rejected} to reject.");
        if (preview.FirstEvents.Count > 0)
        {
            await output.WriteLineAsync($"The first {preview.FirstEvents.Count} as they would be stored (times as of now):");
            foreach (var e in preview.FirstEvents)
            {
                await output.WriteLineAsync(e);
            }
        }

        if (preview.FirstRejections.Count > 0)
        {
            await output.WriteLineAsync($"The first {preview.FirstRejections.Count} rejections:");
            foreach (var reason in preview.FirstRejections)
            {
                await output.WriteLineAsync(reason);
            }
        }

        return 0;
    }

    // A malformed file is bad input (exit code 2), as InputCheckedAction reports it for the other verbs.
    private static Task CannotReadAsync(TextWriter error, string name, InvalidDataException e) => error.WriteLineAsync($"{name} cannot be read on: {e.Message}");

    private static bool IsCsvName(string name) =>
        name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase);
}
