using System.CommandLine;
using Samlet.Pipeline;
using Samlet.Server.Profiles;
using Samlet.Storage;

namespace Samlet.Server.Cli;

/// <summary>
/// <c>samlet profiles get TYPE:VALUE</c> and <c>samlet profiles search TEXT</c>: the unified profiles, read from the
/// store directly (as the Profile API reads them). Exit codes: 0 found, 1 not found or the store unavailable, 2 bad usage.
/// </summary>
internal static class ProfilesCommand
{
    public static Command Create()
    {
        var command = new Command("profiles", "Look people up in the unified profiles, reading the store directly.");
        command.Subcommands.Add(Get());
        command.Subcommands.Add(Search());
        return command;
    }

    private static Command Get()
    {
        var reference = new Argument<string>("profile") { Description = "An identifier TYPE:VALUE (email:jane@example.com, user_id:42, phone:+4520123456) or a profile id (prf_…)." };
        var events = new Option<int>("--events") { Description = "How many of the latest events to show.", DefaultValueFactory = _ => ProfileReader.RecentEventCount };
        var json = new Option<bool>("--json") { Description = "Print JSON (the shape of GET /api/profiles/{id}) instead of tables." };
        var opening = new StoreOpening();
        var command = new Command("get", "Show one profile: identities, traits with their lineage, counts, accounts, recent events and identity history.") { reference, events, json };
        opening.AddTo(command, withWorkspace: true);
        command.Action = new StoreCheckedAction(async (parse, cancellationToken) =>
        {
            opening.Check(parse);
            var count = parse.GetValue(events);
            if (count is < 0 or > 1000)
            {
                throw new UsageException("--events must be from 0 to 1000.");
            }

            await using var store = await opening.OpenAsync(parse, cancellationToken);
            var workspaceId = await opening.WorkspaceAsync(parse, store, cancellationToken);
            var reader = new ProfileReader(store);
            var lookup = await reader.FindAsync(workspaceId, parse.GetValue(reference), cancellationToken);
            if (lookup.Malformed)
            {
                throw new UsageException(lookup.Problem);
            }

            if (lookup.Profile is not { } profile)
            {
                await NotFoundAsync(parse, store, lookup.Problem, cancellationToken);
                return StoreCheckedAction.Failed;
            }

            var details = await reader.ReadAsync(profile, lookup.RedirectedFrom, count, cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                var bytes = ProfileJsonWriter.ToBytes(w => ProfileJsonWriter.WriteDetails(w, details, $"/api/profiles/{profile.Id}/events"), indented: true);
                await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(bytes));
            }
            else
            {
                ProfileText.WriteDetails(ProfileText.Console(output), details);
            }

            return 0;
        });
        return command;
    }

    private static Command Search()
    {
        var text = new Argument<string>("text") { Description = "The beginning of an identifier value (jane, jane@exa), a trait value (Copenhagen), or an exact TYPE:VALUE." };
        var limit = new Option<int>("--limit") { Description = "Most profiles to list.", DefaultValueFactory = _ => 20 };
        var json = new Option<bool>("--json") { Description = "Print JSON (the shape of GET /api/profiles?query=) instead of a table." };
        var opening = new StoreOpening();
        var command = new Command("search", "Find profiles by identifier value, trait value or exact TYPE:VALUE.") { text, limit, json };
        opening.AddTo(command, withWorkspace: true);
        command.Action = new StoreCheckedAction(async (parse, cancellationToken) =>
        {
            opening.Check(parse);
            var query = parse.GetValue(text)?.Trim();
            if (string.IsNullOrEmpty(query))
            {
                throw new UsageException("Say what to look for, e.g. samlet profiles search jane.");
            }

            if (parse.GetValue(limit) is < 1 or > 1000)
            {
                throw new UsageException("--limit must be from 1 to 1000.");
            }

            await using var store = await opening.OpenAsync(parse, cancellationToken);
            var workspaceId = await opening.WorkspaceAsync(parse, store, cancellationToken);
            var found = await new ProfileReader(store).SearchAsync(workspaceId, query, parse.GetValue(limit), cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                var bytes = ProfileJsonWriter.ToBytes(
                    w =>
                    {
                        w.WriteStartObject();
                        w.WriteStartArray("profiles");
                        foreach (var summary in found)
                        {
                            ProfileJsonWriter.WriteSummary(w, summary);
                        }

                        w.WriteEndArray();
                        w.WriteEndObject();
                    },
                    indented: true);
                await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(bytes));
            }
            else if (found.Count > 0)
            {
                ProfileText.WriteSummaries(ProfileText.Console(output), found);
            }

            if (found.Count == 0)
            {
                await NotFoundAsync(parse, store, $"No profile matches \"{query}\".", cancellationToken);
                return StoreCheckedAction.Failed;
            }

            return 0;
        });
        return command;
    }

    // Profiles exist once the pipeline has applied the events: say so when it has not (e.g. right after an import).
    private static async Task NotFoundAsync(ParseResult parse, ICdpStore store, string problem, CancellationToken cancellationToken)
    {
        var error = parse.InvocationConfiguration.Error;
        await error.WriteLineAsync($"error: {problem}");
        var lag = await new PipelineWorker(store, TimeProvider.System).GetLagAsync(cancellationToken);
        if (lag.EventsBehind > 0)
        {
            await error.WriteLineAsync($"The pipeline has not yet applied {lag.EventsBehind:N0} events of the log: start the server (samlet serve) or run samlet rebuild.");
        }
    }
}
