using System.CommandLine;
using System.Globalization;
using System.Text;
using Samlet.Audiences;
using Samlet.Events;
using Samlet.Server.Audiences;
using Samlet.Server.Cli.Analytics;
using Samlet.Storage;
using Spectre.Console;

namespace Samlet.Server.Cli;

/// <summary>
/// <c>samlet audiences list|preview|members|export</c> and <c>samlet computed-traits list</c>: the workspace's audiences
/// and computed traits, read from the store directly (as the admin API reads them). Definitions are created and changed
/// through the API. Exit codes: 0 done, 1 no such audience or the store unavailable, 2 bad usage or an invalid definition.
/// </summary>
internal static class AudiencesCommand
{
    public static Command Create()
    {
        var command = new Command("audiences", "List, preview and export the workspace's audiences, reading the store directly.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Preview());
        command.Subcommands.Add(Members());
        command.Subcommands.Add(Export());
        return command;
    }

    public static Command CreateComputedTraits()
    {
        var command = new Command("computed-traits", "The workspace's computed traits, reading the store directly.");
        var opening = new StoreOpening();
        var list = new Command("list", "List the computed traits: key, name, aggregation, events counted, window.");
        opening.AddTo(list, withWorkspace: true);
        list.Action = new StoreCheckedAction(async (parse, cancellationToken) =>
        {
            opening.Check(parse);
            await using var store = await opening.OpenAsync(parse, cancellationToken);
            var catalog = await DefinitionCatalog.LoadAsync(store, await opening.WorkspaceAsync(parse, store, cancellationToken), cancellationToken);
            var table = ProfileText.Table("Key", "Name", "Aggregation", "Property", "Events", "Window", "Version", "Updated");
            foreach (var (stored, trait) in catalog.ComputedTraits.Values)
            {
                var spec = trait.Aggregate;
                var events = spec.Filter.EventName is { } name ? $"track \"{name}\"" : spec.Filter.Type?.ToWire() ?? "any";
                table.AddTextRow(trait.Key, trait.Name, spec.Aggregation.ToName(), spec.Property ?? "", events,
                    spec.Window is { } w ? Samlet.Audiences.WindowText.Format(w) : "all time", Number(stored.Version), Time(stored.UpdatedAt));
            }

            Write(parse, table, catalog.ComputedTraits.Count, "computed trait");
            return 0;
        });
        command.Subcommands.Add(list);
        return command;
    }

    private static Command List()
    {
        var opening = new StoreOpening();
        var command = new Command("list", "List the audiences with their member counts.");
        opening.AddTo(command, withWorkspace: true);
        command.Action = new StoreCheckedAction(async (parse, cancellationToken) =>
        {
            opening.Check(parse);
            await using var store = await opening.OpenAsync(parse, cancellationToken);
            var workspaceId = await opening.WorkspaceAsync(parse, store, cancellationToken);
            var catalog = await DefinitionCatalog.LoadAsync(store, workspaceId, cancellationToken);
            var counts = await store.Audiences.CountMembersAsync(workspaceId, cancellationToken);
            var table = ProfileText.Table("Key", "Name", "Members", "Version", "Updated");
            foreach (var (stored, audience) in catalog.Audiences.Values)
            {
                table.AddTextRow(audience.Key, audience.Name, Number(counts.GetValueOrDefault(audience.Key)), Number(stored.Version), Time(stored.UpdatedAt));
            }

            Write(parse, table, catalog.Audiences.Count, "audience");
            return 0;
        });
        return command;
    }

    private static Command Preview()
    {
        var definition = new Option<string?>("--definition") { Description = "A file with the audience definition (JSON, docs/audiences.md), or - for standard input. Its key may be left out." };
        var where = new Option<string?>("--where") { Description = "The condition in the text form instead, e.g. --where 'plan = \"pro\" and performed \"Order Completed\" >= 2 within 90d' (docs/audiences.md, Text form)." };
        var sample = new Option<int>("--sample") { Description = "How many matching profile ids to show.", DefaultValueFactory = _ => 10 };
        var opening = new StoreOpening();
        var command = new Command("preview", "Count the profiles that meet an audience definition or condition, without saving it.") { definition, where, sample };
        opening.AddTo(command, withWorkspace: true);
        command.Action = new StoreCheckedAction(async (parse, cancellationToken) =>
        {
            opening.Check(parse);
            var size = parse.GetValue(sample);
            if (size is < 0 or > 1000)
            {
                throw new UsageException("--sample must be from 0 to 1000.");
            }

            var (text, written) = await ReadDefinitionAsync(parse.GetValue(definition), parse.GetValue(where), cancellationToken);
            await using var store = await opening.OpenAsync(parse, cancellationToken);
            var workspaceId = await opening.WorkspaceAsync(parse, store, cancellationToken);
            var catalog = await DefinitionCatalog.LoadAsync(store, workspaceId, cancellationToken);
            var parsed = catalog.CheckAudience(DefinitionInput.WithKey(text, "preview", mustMatch: false).Json);
            if (parsed.Definition is not { } candidate)
            {
                throw written is null
                    ? Refused("definition", parsed.Problems)
                    : Refused("condition", parsed.Problems.Select(written.Locate).OrderBy(p => p.Column));
            }

            var result = await new AudiencePreview(store).RunAsync(workspaceId, catalog.ToWorkspaceDefinitions(), candidate, size, TimeProvider.System.GetUtcNow(), cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{result.Count:N0} of {result.Total:N0} profiles meet \"{candidate.Name}\"."));
            foreach (var id in result.Sample)
            {
                await output.WriteLineAsync(id);
            }

            return 0;
        });
        return command;
    }

    /// <summary>The definition JSON from the file of --definition, or from the text of --where (which is kept to place later problems).</summary>
    private static async Task<(string Json, TextCondition? Written)> ReadDefinitionAsync(string? path, string? where, CancellationToken cancellationToken)
    {
        if ((path is null) == (where is null))
        {
            throw new UsageException("Give exactly one of --definition FILE (JSON) and --where TEXT (a condition in the text form).");
        }

        if (where is not null)
        {
            var written = AudienceText.Parse(where);
            if (written.Json is not { } condition)
            {
                throw Refused("condition", written.Problems);
            }

            return (AudienceText.Definition(condition, "preview"), written);
        }

        try
        {
            return (path == "-" ? await Console.In.ReadToEndAsync(cancellationToken) : await File.ReadAllTextAsync(path!, cancellationToken), null);
        }
        catch (IOException e)
        {
            throw new UsageException($"Cannot read the definition {path}: {e.Message}");
        }
    }

    private static UsageException Refused<T>(string what, IEnumerable<T> problems) =>
        new($"The {what} was refused:" + string.Concat(problems.Select(p => $"{Environment.NewLine}  {p}")));

    private static Command Members()
    {
        var key = new Argument<string>("audience") { Description = "The audience key." };
        var limit = new Option<int>("--limit") { Description = "Most members to list (in profile id order).", DefaultValueFactory = _ => 50 };
        var opening = new StoreOpening();
        var command = new Command("members", "List an audience's members: profile id and when each entered, tab-separated.") { key, limit };
        opening.AddTo(command, withWorkspace: true);
        command.Action = new StoreCheckedAction(async (parse, cancellationToken) =>
        {
            opening.Check(parse);
            var most = parse.GetValue(limit);
            if (most is < 1 or > 1_000_000)
            {
                throw new UsageException("--limit must be from 1 to 1000000.");
            }

            await using var store = await opening.OpenAsync(parse, cancellationToken);
            var workspaceId = await opening.WorkspaceAsync(parse, store, cancellationToken);
            var audience = parse.GetValue(key)!;
            if (!await ExistsAsync(parse, store, workspaceId, audience, cancellationToken))
            {
                return StoreCheckedAction.Failed;
            }

            var output = parse.InvocationConfiguration.Output;
            var count = (await store.Audiences.CountMembersAsync(workspaceId, cancellationToken)).GetValueOrDefault(audience);
            string? after = null;
            var listed = 0;
            while (listed < most)
            {
                var want = Math.Min(1000, most - listed);
                var page = await store.Audiences.GetMembersAsync(workspaceId, audience, after, want, cancellationToken);
                foreach (var member in page)
                {
                    await output.WriteLineAsync($"{member.ProfileId}\t{member.EnteredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}");
                }

                listed += page.Count;
                if (page.Count < want)
                {
                    break;
                }

                after = page[^1].ProfileId;
            }

            await parse.InvocationConfiguration.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{listed:N0} of {count:N0} members of \"{audience}\"."));
            return 0;
        });
        return command;
    }

    private static Command Export()
    {
        var key = new Argument<string>("audience") { Description = "The audience key." };
        var traits = new Option<string?>("--traits") { Description = "Trait or computed trait columns, separated by commas: --traits email,plan,lifetime_spend." };
        var file = new Option<string?>("--output") { Description = "Write the CSV to this file (default: standard output)." };
        var opening = new StoreOpening();
        var command = new Command("export", "Export an audience's members as CSV: profile_id, entered_at and the traits asked for.") { key, traits, file };
        opening.AddTo(command, withWorkspace: true);
        command.Action = new StoreCheckedAction(async (parse, cancellationToken) =>
        {
            opening.Check(parse);
            var columns = AudienceCsv.ParseColumns(parse.GetValue(traits));
            await using var store = await opening.OpenAsync(parse, cancellationToken);
            var workspaceId = await opening.WorkspaceAsync(parse, store, cancellationToken);
            var audience = parse.GetValue(key)!;
            if (!await ExistsAsync(parse, store, workspaceId, audience, cancellationToken))
            {
                return StoreCheckedAction.Failed;
            }

            var catalog = await DefinitionCatalog.LoadAsync(store, workspaceId, cancellationToken);
            var computed = catalog.ComputedTraits.Keys.ToHashSet(StringComparer.Ordinal);
            if (parse.GetValue(file) is { } path)
            {
                await using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                await AudienceCsv.WriteAsync(writer, store, workspaceId, audience, columns, computed, cancellationToken);
            }
            else
            {
                await AudienceCsv.WriteAsync(parse.InvocationConfiguration.Output, store, workspaceId, audience, columns, computed, cancellationToken);
            }

            return 0;
        });
        return command;
    }

    private static async Task<bool> ExistsAsync(ParseResult parse, ICdpStore store, string workspaceId, string audience, CancellationToken cancellationToken)
    {
        if (await store.Audiences.GetDefinitionAsync(workspaceId, DefinitionKind.Audience, audience, cancellationToken) is not null)
        {
            return true;
        }

        await parse.InvocationConfiguration.Error.WriteLineAsync($"error: There is no audience \"{audience}\" in this workspace (samlet audiences list shows them).");
        return false;
    }

    private static void Write(ParseResult parse, Table table, int count, string noun)
    {
        var console = ProfileText.Console(parse.InvocationConfiguration.Output);
        if (count == 0)
        {
            console.WriteLine($"No {noun}s are defined yet: create them with the admin API (see docs/audiences.md).");
            return;
        }

        console.Write(table);
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
