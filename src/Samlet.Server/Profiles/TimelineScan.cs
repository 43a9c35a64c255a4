using System.Globalization;
using Samlet.Events;
using Samlet.Storage;

namespace Samlet.Server.Profiles;

/// <summary>
/// Pages of a profile's timeline filtered as Segment's events endpoint filters (time range, event keys), in log
/// order newest first (or oldest first with <c>sort=asc</c>). The cursor is a log position. A page reads the timeline
/// from the cursor in blocks; newest first stops after <see cref="MaxScanned"/> events and returns a short page whose
/// cursor continues the scan; oldest first reads from the newest event down to the cursor.
/// </summary>
internal static class TimelineScan
{
    public const int MaxScanned = 20_000;
    private const int Block = 500;

    /// <summary>An event's key for <c>include</c>/<c>exclude</c>: a track's event name, else the type (<c>page</c>, <c>identify</c>…).</summary>
    public static string KeyOf(StoredEvent e) => e.Type == EventType.Track && e.EventName is { } name ? name : e.Type.ToWire();

    public static bool TryCursor(string? text, out long? cursor)
    {
        cursor = null;
        if (text is null)
        {
            return true;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var position))
        {
            cursor = position;
            return true;
        }

        return false;
    }

    public static async Task<(List<StoredEvent> Events, string? Next)> PageAsync(
        IProfileStore profiles, string profileId, SegmentQuery query, long? cursor, CancellationToken cancellationToken)
    {
        return query.Ascending
            ? await AscendingAsync(profiles, profileId, query, cursor ?? 0, cancellationToken)
            : await DescendingAsync(profiles, profileId, query, cursor, cancellationToken);
    }

    private static async Task<(List<StoredEvent>, string?)> DescendingAsync(IProfileStore profiles, string profileId, SegmentQuery query, long? before, CancellationToken cancellationToken)
    {
        var found = new List<StoredEvent>();
        var scanned = 0;
        while (true)
        {
            var block = await profiles.GetEventsAsync(profileId, before, Block, cancellationToken);
            foreach (var e in block)
            {
                before = e.Sequence;
                scanned++;
                if (Matches(query, e))
                {
                    found.Add(e);
                    if (found.Count > query.Limit)
                    {
                        found.RemoveAt(found.Count - 1);
                        return (found, Cursor(found[^1].Sequence));
                    }
                }
            }

            if (block.Count < Block)
            {
                return (found, null);
            }

            if (scanned >= MaxScanned)
            {
                return (found, Cursor(before!.Value)); // a short page: the next one goes on from where this scan stopped
            }
        }
    }

    private static async Task<(List<StoredEvent>, string?)> AscendingAsync(IProfileStore profiles, string profileId, SegmentQuery query, long after, CancellationToken cancellationToken)
    {
        // Newest first down to the cursor, keeping the oldest limit + 1 matches seen.
        var found = new List<StoredEvent>();
        long? before = null;
        while (true)
        {
            var block = await profiles.GetEventsAsync(profileId, before, Block, cancellationToken);
            foreach (var e in block)
            {
                if (e.Sequence <= after)
                {
                    return Oldest(found, query.Limit);
                }

                before = e.Sequence;
                if (Matches(query, e))
                {
                    found.Add(e);
                }
            }

            if (block.Count < Block)
            {
                return Oldest(found, query.Limit);
            }
        }
    }

    private static (List<StoredEvent>, string?) Oldest(List<StoredEvent> newestFirst, int limit)
    {
        newestFirst.Reverse();
        if (newestFirst.Count <= limit)
        {
            return (newestFirst, null);
        }

        var page = newestFirst.GetRange(0, limit);
        return (page, Cursor(page[^1].Sequence));
    }

    private static bool Matches(SegmentQuery query, StoredEvent e)
    {
        if ((query.Start is { } start && e.Timestamp < start) || (query.End is { } end && e.Timestamp >= end))
        {
            return false;
        }

        var key = KeyOf(e);
        return (query.Include is null || query.Include.Contains(key)) && (query.Exclude is null || !query.Exclude.Contains(key));
    }

    private static string Cursor(long position) => position.ToString(CultureInfo.InvariantCulture);
}
