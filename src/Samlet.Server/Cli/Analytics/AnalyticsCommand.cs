using System.CommandLine;

namespace Samlet.Server.Cli.Analytics;

/// <summary>
/// <c>samlet analytics</c>: customer analytics over files, and <c>run</c>, the in-platform job on a store. Every file sub-command writes its result to standard output and,
/// on bad usage or bad input, a message to standard error with exit code 2 (<see cref="InputCheckedAction"/>).
/// </summary>
internal static class AnalyticsCommand
{
    public static Command Create()
    {
        var command = new Command("analytics", "Customer analytics over transaction files, and the in-platform job on a store (run).");
        command.Subcommands.Add(ClvCommand.Create());
        command.Subcommands.Add(RfmCommand.Create());
        command.Subcommands.Add(BasketCommand.Create());
        command.Subcommands.Add(AttributionCommand.Create());
        command.Subcommands.Add(RunCommand.Create());
        command.Action = new InputCheckedAction((_, _) =>
            throw new UsageException($"choose a sub-command: {string.Join(", ", command.Subcommands.Select(c => c.Name))}"));
        return command;
    }
}
