using System.CommandLine;
using Samlet.Server.Cli.Analytics;

namespace Samlet.Server.Cli;

/// <summary>The root of the <c>samlet</c> command line: one sub-command per verb.</summary>
internal static class SamletCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Samlet: an open-source customer data platform.");
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(CopyCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(ProfilesCommand.Create());
        root.Subcommands.Add(AudiencesCommand.Create());
        root.Subcommands.Add(AudiencesCommand.CreateComputedTraits());
        root.Subcommands.Add(RebuildCommand.Create());
        root.Subcommands.Add(AnalyticsCommand.Create());
        return root;
    }
}
