using System.Text;
using Samlet.Events;
using Samlet.Identity;

namespace Samlet.Server.Profiles;

/// <summary>
/// Which event first gave a profile each of its identifiers (Segment's <c>first_message_id</c> and <c>source_id</c>),
/// read from the identity history rather than stored: the event that added an identifier created, extended or merged
/// the profile at the identifier's added time. When several such events share that time, the first whose payload
/// mentions the value is taken (then simply the first: the answer is informative, never used to decide anything).
/// </summary>
internal static class IdentifierOrigins
{
    public static async Task<Dictionary<Identifier, IdentifierOrigin>> FindAsync(
        ProfileReader reader, IEnumerable<HeldIdentifier> held, IReadOnlyList<IdentityRecord> history, CancellationToken cancellationToken)
    {
        var adding = history.Where(r => r.Kind is "create" or "attach" or "merge" && r.MessageId.Length > 0).OrderBy(r => r.Sequence).ToList();
        var events = new Dictionary<long, StoredEvent?>();
        var origins = new Dictionary<Identifier, IdentifierOrigin>();
        foreach (var h in held)
        {
            var candidates = adding.Where(r => r.At == h.AddedAt).ToList();
            IdentityRecord? chosen = null;
            foreach (var candidate in candidates)
            {
                var e = await EventAsync(candidate.Sequence);
                if (candidates.Count == 1 || (e is not null && Encoding.UTF8.GetString(e.Payload).Contains(h.Identifier.Value, StringComparison.OrdinalIgnoreCase)))
                {
                    chosen = candidate;
                    break;
                }
            }

            chosen ??= candidates.FirstOrDefault();
            if (chosen is not null)
            {
                origins[h.Identifier] = new IdentifierOrigin(chosen.MessageId, (await EventAsync(chosen.Sequence))?.SourceId);
            }
        }

        return origins;

        async Task<StoredEvent?> EventAsync(long sequence)
        {
            if (!events.TryGetValue(sequence, out var e))
            {
                events[sequence] = e = await reader.EventAtAsync(sequence, cancellationToken);
            }

            return e;
        }
    }
}

/// <summary>The event that added an identifier: its message id and source (null if the event is no longer in the log).</summary>
internal sealed record IdentifierOrigin(string MessageId, string? SourceId);
