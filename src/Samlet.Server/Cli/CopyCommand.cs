using System.CommandLine;

using System.Data.Common;
using System.Diagnostics;
using Samlet.Server.Hosting;
using Spectre.Console;

namespace Samlet.Server.Cli;

/// <summary>
/// <c>samlet copy --from sqlite:DIR --to postgres:CONNECTION</c>: moves a store to another (typically the embedded
/// one to PostgreSQL), idempotently, and checks at the end that both hold the same numbers of everything.
/// </summary>
internal static class CopyCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "The store to read: sqlite:DIRECTORY or postgres:CONNECTION-STRING.", Required = true };
        var to = new Option<string>("--to") { Description = "The store to write (migrated first): sqlite:DIRECTORY or postgres:CONNECTION-STRING.", Required = true };
        var command = new Command("copy", "Copy workspaces, sources, API keys, events and rejected events from one store to another; safe to run again.") { from, to };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            try
            {
                var source = StoreLocation.Parse(parse.GetValue(from)!);
                var target = StoreLocation.Parse(parse.GetValue(to)!);
                if (source.Kind == StoreKind.Sqlite && !File.Exists(Path.Combine(source.Target, "samlet.db")))
                {
                    throw new ArgumentException($"There is no SQLite store in {Path.GetFullPath(source.Target)}.");
                }

                return await CopyAsync(source, target, parse.InvocationConfiguration.Output, error, cancellationToken);
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return InputCheckedAction.BadInput;
            }
            catch (Exception e) when (e is DbException or InvalidOperationException)
            {
                await error.WriteLineAsync($"error: the copy failed: {e.Message} Nothing copied so far is lost; run the same command again.");
                return 1;
            }
        });
        return command;
    }

    private static async Task<int> CopyAsync(StoreLocation source, StoreLocation target, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await using var from = await source.OpenAsync(cancellationToken);
        await using var to = await target.OpenAsync(cancellationToken);
        await from.MigrateAsync(cancellationToken);
        await to.MigrateAsync(cancellationToken);
        var copy = new StoreCopy(from, to);
        var clock = Stopwatch.StartNew();
        await output.WriteLineAsync($"Copying {source} to {target}.");
        var settings = await copy.CopySettingsAsync(cancellationToken);

        var total = await from.Events.CountAsync(cancellationToken);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        var events = default(Storage.AppendResult);
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("events", maxValue: Math.Max(1, total));
                events = await copy.CopyEventsAsync(new Progress<long>(read => task.Value = read), cancellationToken);
                task.Value = task.MaxValue;
            });
        var rejected = await copy.CopyRejectedAsync(cancellationToken);

        await output.WriteLineAsync($"""
            Settings: {settings} workspaces, sources or API keys written.
            Events: {events.Stored:N0} copied, {events.Duplicates:N0} already there.
            Rejected events: {rejected:N0} copied.
            Done in {clock.Elapsed.TotalSeconds:0.0} s.
            """);
        var differences = await copy.VerifyAsync(cancellationToken);
        if (events.Rejected > 0)
        {
            differences.Insert(0, $"{events.Rejected:N0} events could not be stored by the target and went to its rejected events instead (see their reasons)");
        }

        foreach (var difference in differences)
        {
            await error.WriteLineAsync($"error: {difference}.");
        }

        return differences.Count == 0 ? 0 : 1;
    }
}
