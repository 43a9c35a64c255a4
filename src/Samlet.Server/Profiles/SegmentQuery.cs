using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Samlet.Server.Admin;

namespace Samlet.Server.Profiles;

/// <summary>
/// The query parameters of Segment's Profile API list methods, checked: <c>limit</c>, <c>next</c>, <c>include</c>,
/// <c>exclude</c>, <c>verbose</c>, <c>class</c>, and for events <c>start</c>, <c>end</c>, <c>sort</c>.
/// </summary>
internal sealed class SegmentQuery
{
    private SegmentQuery()
    {
    }

    public int Limit { get; private init; }

    public string? Next { get; private init; }

    /// <summary>Keys (traits, identifier types, event keys) to keep; null for all.</summary>
    public HashSet<string>? Include { get; private init; }

    public HashSet<string>? Exclude { get; private init; }

    public bool Verbose { get; private init; }

    /// <summary><c>audience</c> or <c>computed_trait</c>: only traits of that class.</summary>
    public string? Class { get; private init; }

    public DateTimeOffset? Start { get; private init; }

    public DateTimeOffset? End { get; private init; }

    public bool Ascending { get; private init; }

    public static bool TryRead(HttpRequest request, int defaultLimit, int maxLimit, [NotNullWhen(true)] out SegmentQuery? query, [NotNullWhen(false)] out string? error)
    {
        query = null;
        var q = request.Query;
        var limit = defaultLimit;
        if (q["limit"].ToString() is { Length: > 0 } limitText &&
            (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > maxLimit))
        {
            error = $"The parameter `limit` must be a number from 1 to {maxLimit}.";
            return false;
        }

        var verbose = false;
        if (q["verbose"].ToString() is { Length: > 0 } verboseText && !bool.TryParse(verboseText, out verbose))
        {
            error = "The parameter `verbose` must be true or false.";
            return false;
        }

        var cls = Empty(q["class"]);
        if (cls is not null and not "audience" and not "computed_trait")
        {
            error = "The parameter `class` must be audience or computed_trait.";
            return false;
        }

        var sort = Empty(q["sort"]) ?? "desc";
        if (sort is not "asc" and not "desc")
        {
            error = "The parameter `sort` must be asc or desc.";
            return false;
        }

        if (!TryTime(q["start"], "start", out var start, out var startError) || !TryTime(q["end"], "end", out var end, out startError))
        {
            error = startError;
            return false;
        }

        query = new SegmentQuery
        {
            Limit = limit,
            Next = Empty(q["next"]),
            Include = List(q["include"]),
            Exclude = List(q["exclude"]),
            Verbose = verbose,
            Class = cls,
            Start = start,
            End = end,
            Ascending = sort == "asc",
        };
        error = null;
        return true;
    }

    private static string? Empty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    // "first_name,city" (also repeated parameters); blanks ignored.
    private static HashSet<string>? List(Microsoft.Extensions.Primitives.StringValues values)
    {
        var items = values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);
        return items.Count == 0 ? null : items;
    }

    private static bool TryTime(string? text, string name, out DateTimeOffset? value, [NotNullWhen(false)] out string? error)
    {
        error = QueryTime.TryParse(text, out value) ? null : $"The parameter `{name}` must be an ISO 8601 time, e.g. 2026-01-02 or 2026-01-02T10:00:00Z.";
        return error is null;
    }
}
