using System.Globalization;
using Samlet.Events;
using Samlet.Server.Cli.Analytics;
using Samlet.Server.Profiles;
using Spectre.Console;

namespace Samlet.Server.Cli;

/// <summary>How <c>samlet profiles</c> shows profiles to people: headed tables, plain text (no markup, so values print as they are).</summary>
internal static class ProfileText
{
    /// <summary>Colours on a terminal; plain and wide enough for identifiers when the output is captured or piped.</summary>
    public static IAnsiConsole Console(TextWriter output) =>
        ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected
            ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) })
            : ReportText.PlainConsole(output, 160);

    public static void WriteDetails(IAnsiConsole console, ProfileDetails details)
    {
        var profile = details.Profile;
        console.Write(new Rule(Markup.Escape($"Profile {profile.Id}")) { Justification = Justify.Left });
        if (details.RedirectedFrom is { } from)
        {
            console.WriteLine($"({from} was merged into this profile.)");
        }

        var name = ProfileSummary.DisplayName(profile.Traits);
        var email = ProfileSummary.Text(profile.Traits, "email");
        if (name is not null || email is not null)
        {
            console.WriteLine(string.Join("  ", new[] { name, email is null ? null : $"<{email}>" }.Where(p => p is not null)));
        }

        console.WriteLine($"Created {Time(profile.CreatedAt)}, first seen {Time(profile.FirstSeen)}, last seen {Time(profile.LastSeen)}, updated {Time(profile.UpdatedAt)}.");
        console.WriteLine();

        var identities = Table("Identity", "Added");
        foreach (var held in details.Identifiers)
        {
            identities.AddTextRow(held.Identifier.ToString(), Time(held.AddedAt));
        }

        console.Write(identities);

        var traits = Table("Trait", "Value", "Set by", "Source", "At");
        foreach (var (key, trait) in profile.Traits.Values.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            traits.AddTextRow(key, trait.Json, trait.MessageId, trait.SourceId, Time(trait.At));
        }

        console.Write(traits);

        var counts = Table("Events", "Count");
        counts.AddTextRow("all", Number(profile.EventTotal));
        foreach (var (type, count) in profile.TypeCounts.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal))
        {
            counts.AddTextRow(type, Number(count));
        }

        foreach (var (eventName, count) in profile.EventCounts.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal))
        {
            counts.AddTextRow($"track \"{eventName}\"", Number(count));
        }

        console.Write(counts);

        if (details.Accounts.Count > 0)
        {
            var accounts = Table("Account", "Linked", "Traits");
            foreach (var link in details.Accounts)
            {
                var accountTraits = link.Account is null ? "" : string.Join(", ", link.Account.Traits.Values
                    .OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value.Json}"));
                accounts.AddTextRow($"group_id:{link.Member.GroupId}", Time(link.Member.LinkedAt), accountTraits);
            }

            console.Write(accounts);
        }

        var events = Table("Position", "Time", "Type", "Event", "Message id", "Source");
        foreach (var e in details.RecentEvents)
        {
            events.AddTextRow(Number(e.Sequence), Time(e.Timestamp), e.Type.ToWire(), e.EventName ?? "", e.MessageId, e.SourceId);
        }

        console.Write(events);
        if (details.MoreBefore is { } before)
        {
            console.WriteLine($"Older events: GET /api/profiles/{profile.Id}/events?before={before.ToString(CultureInfo.InvariantCulture)}, or --events N.");
        }

        console.WriteLine();
        console.Write(new Rule("Identity history") { Justification = Justify.Left });
        foreach (var record in details.History)
        {
            console.WriteLine($"{Time(record.At)}  {record.Kind}: {record.Explanation}");
        }
    }

    public static void WriteSummaries(IAnsiConsole console, IReadOnlyList<ProfileSummary> summaries)
    {
        var table = Table("Profile", "Name", "Email", "Identities", "Last seen", "Events");
        foreach (var s in summaries)
        {
            table.AddTextRow(s.Id, s.Name ?? "", s.Email ?? "", string.Join(", ", s.Identifiers), Time(s.LastSeen), Number(s.EventTotal));
        }

        console.Write(table);
    }

    public static Table Table(params string[] headers)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header)));
        }

        return table;
    }

    private static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "—";

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
