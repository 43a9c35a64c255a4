using System.Text;
using System.Text.Json;
using Samlet.Events;
using Samlet.Identity;
using Samlet.Pipeline;
using Samlet.Profiles;

namespace Samlet.Storage.Tests.Contract;

/// <summary>Everything the store holds about one profile, and a canonical text form of it for whole-state comparisons.</summary>
public sealed record ProfileView(
    ProfileState State,
    IReadOnlyList<HeldIdentifier> Identifiers,
    IReadOnlyList<StoredEvent> Events,
    IReadOnlyList<IdentityRecord> History,
    IReadOnlyList<AccountMember> Accounts)
{
    public string Id => State.Id;

    public string[] IdentifierTexts => [.. Identifiers.Select(i => i.Identifier.ToString()).Order(StringComparer.Ordinal)];

    public string[] MessageIds => [.. Events.Select(e => e.MessageId).Order(StringComparer.Ordinal)];

    /// <summary>A trait's value as compact JSON (parsed, so backends that reformat JSON compare equal), or null when unset.</summary>
    public string? Trait(string key) => State.Traits[key] is { } value ? Compact(value.Json) : null;

    public long Count(string type) => State.TypeCounts.GetValueOrDefault(type);

    public string Describe(bool withIds, bool withHistory)
    {
        var text = new StringBuilder();
        text.Append(withIds ? $"{Id} created {State.CreatedAt:O}" : "profile").AppendLine();
        foreach (var held in Identifiers.OrderBy(i => i.Identifier.ToString(), StringComparer.Ordinal))
        {
            text.Append("  id ").Append(held.Identifier).Append(withIds ? $" @{held.AddedAt:O}" : "").AppendLine();
        }

        foreach (var (key, value) in State.Traits.Values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append($"  trait {key}={Compact(value.Json)} @{value.At:O} {value.MessageId}").Append(withIds ? " " + value.SourceId : "").AppendLine();
        }

        foreach (var (type, count) in State.TypeCounts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.AppendLine($"  count {type}={count}");
        }

        foreach (var (name, count) in State.EventCounts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.AppendLine($"  event {name}={count}");
        }

        // Values, not the processing times at which they were computed or entered: those differ between live and rebuild.
        foreach (var (key, trait) in State.Computed.Where(p => p.Key[0] != '~').OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.AppendLine($"  computed {key}={trait.Json ?? "null"}");
        }

        if (State.Audiences.Count > 0)
        {
            text.AppendLine("  audiences " + string.Join(",", State.Audiences.Keys.Order(StringComparer.Ordinal)));
        }

        text.AppendLine($"  seen {State.FirstSeen:O}..{State.LastSeen:O} last {State.LastMessageId}");
        text.AppendLine("  events " + string.Join(",", MessageIds));
        text.AppendLine("  accounts " + string.Join(",", Accounts.Select(a => $"{a.GroupId}@{a.LinkedAt:O}").Order(StringComparer.Ordinal)));
        if (withHistory)
        {
            foreach (var record in History)
            {
                text.AppendLine($"  history {record.Kind} {record.MessageId}: {record.Explanation}");
            }
        }

        return text.ToString();
    }

    private static string Compact(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement);
    }
}
