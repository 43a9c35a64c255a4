using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Samlet.Server.Hosting;
using Spectre.Console;

namespace Samlet.Server.Cli;

/// <summary>
/// <c>samlet rebuild</c>: drops every profile, identity link, timeline and identity history and derives them again from
/// the event log, as live processing would (after a change of identity rules, for example). Unmerge cuts and rules stay.
/// Meant for a stopped server: a running one would take turns with it over the checkpoint (safe, but slower). Honours
/// the server's <c>SAMLET__Pipeline__*</c> settings (batch size, events per commit, profiles kept in memory).
/// </summary>
internal static class RebuildCommand
{
    public static Command Create()
    {
        var opening = new StoreOpening();
        var command = new Command("rebuild", "Recompute all profiles from the event log (identity resolution and traits), with progress.");
        opening.AddTo(command, withWorkspace: false);
        command.Action = new StoreCheckedAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var settings = PipelineOptions.FromEnvironment();
            await using var store = await opening.OpenAsync(parse, cancellationToken);
            var total = await store.Events.CountAsync(cancellationToken);
            var worker = settings.WorkerFor(store, TimeProvider.System);
            var clock = Stopwatch.StartNew();
            long read = 0;
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(parse.InvocationConfiguration.Error) });
            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new EventRateColumn(), new ElapsedTimeColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask("Rebuilding profiles", maxValue: Math.Max(1, total));
                    read = await worker.RebuildAsync(new Progress<long>(events => task.Value = events), cancellationToken);
                    task.Value = task.MaxValue;
                });
            var seconds = clock.Elapsed.TotalSeconds;
            long profiles = 0;
            foreach (var workspace in await store.Sources.ListWorkspacesAsync(cancellationToken))
            {
                profiles += await store.Profiles.CountProfilesAsync(workspace.Id, cancellationToken);
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Rebuilt {profiles:N0} {(profiles == 1 ? "profile" : "profiles")} from {read:N0} events in {seconds:0.0} s ({read / Math.Max(seconds, 1e-3):N0} events/s)."));
            return 0;
        });
        return command;
    }
}
