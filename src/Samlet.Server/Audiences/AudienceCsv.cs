using System.Globalization;
using System.Text;
using System.Text.Json;
using Samlet.Server.Cli.Analytics;
using Samlet.Storage;

namespace Samlet.Server.Audiences;

/// <summary>
/// An audience's members as CSV (RFC 4180: CRLF line ends, fields with a comma, quote or line break quoted, quotes
/// doubled): <c>profile_id,entered_at</c> and one column per requested trait. A column named like one of the
/// workspace's computed traits holds the computed value, any other the profile trait. Strings are written as text,
/// other JSON values as JSON, missing values as empty fields. Written page by page, so any size streams.
/// </summary>
internal static class AudienceCsv
{
    public const int MaxColumns = 100;
    private const int Page = 1000;

    /// <summary>Splits <c>email,plan</c> into column names; an <see cref="ArgumentException"/> says what is wrong.</summary>
    public static IReadOnlyList<string> ParseColumns(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var columns = text.Split(',', StringSplitOptions.TrimEntries);
        if (columns.Length > MaxColumns)
        {
            throw new ArgumentException($"At most {MaxColumns} traits can be exported at once.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal) { "profile_id", "entered_at" };
        foreach (var column in columns)
        {
            if (column.Length == 0 || column.Length > 200 || column[0] == '~')
            {
                throw new ArgumentException($"\"{column}\" is not a trait name: name traits or computed traits separated by commas, e.g. traits=email,plan.");
            }

            if (!seen.Add(column))
            {
                throw new ArgumentException($"The column \"{column}\" is named twice.");
            }
        }

        return columns;
    }

    public static async Task WriteAsync(TextWriter writer, ICdpStore store, string workspaceId, string audienceKey, IReadOnlyList<string> columns,
        IReadOnlySet<string> computedKeys, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        line.Append("profile_id,entered_at");
        foreach (var column in columns)
        {
            line.Append(',');
            Field(line, column);
        }

        await writer.WriteAsync(line.Append("\r\n"), cancellationToken);
        string? after = null;
        while (true)
        {
            var members = await store.Audiences.GetMembersAsync(workspaceId, audienceKey, after, Page, cancellationToken);
            if (members.Count == 0)
            {
                break;
            }

            after = members[^1].ProfileId;
            var profiles = columns.Count == 0
                ? []
                : (await store.Profiles.LoadProfilesAsync([.. members.Select(m => m.ProfileId)], cancellationToken)).ToDictionary(p => p.Id, StringComparer.Ordinal);
            line.Clear();
            foreach (var member in members)
            {
                Field(line, member.ProfileId);
                line.Append(',').Append(member.EnteredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
                profiles.TryGetValue(member.ProfileId, out var profile);
                foreach (var column in columns)
                {
                    line.Append(',');
                    var json = profile is null ? null
                        : computedKeys.Contains(column) ? profile.Computed.GetValueOrDefault(column)?.Json
                        : profile.Traits[column]?.Json;
                    Field(line, Text(json));
                }

                line.Append("\r\n");
            }

            await writer.WriteAsync(line, cancellationToken);
            await writer.FlushAsync(cancellationToken);
            if (members.Count < Page)
            {
                break;
            }
        }
    }

    private static string Text(string? json)
    {
        if (json is null)
        {
            return "";
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind switch
        {
            JsonValueKind.String => Inert(document.RootElement.GetString()!),
            JsonValueKind.Null => "",
            _ => document.RootElement.GetRawText(),
        };
    }

    // Trait text comes from anyone who can send events: a cell a spreadsheet would run as a formula gets a leading quote.
    private static string Inert(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;

    private static void Field(StringBuilder line, string value) => line.Append(ReportText.CsvField(value));
}
