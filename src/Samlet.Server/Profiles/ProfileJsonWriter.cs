using System.Buffers;
using System.Text.Json;
using Samlet.Identity;
using Samlet.Profiles;
using Samlet.Server.EventApi;

namespace Samlet.Server.Profiles;

/// <summary>
/// The native Profile API's JSON (also <c>samlet profiles … --json</c>): camelCase, times in UTC ISO 8601, trait values
/// embedded as the events sent them.
/// </summary>
internal static class ProfileJsonWriter
{
    public static byte[] ToBytes(Action<Utf8JsonWriter> write, bool indented = false)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static IResult Answer(Action<Utf8JsonWriter> write) => Results.Bytes(ToBytes(write), "application/json");

    /// <summary><c>GET /api/profiles/{id}</c>; <paramref name="eventsPath"/> is the timeline's path, for the "more" link.</summary>
    public static void WriteDetails(Utf8JsonWriter writer, ProfileDetails details, string eventsPath)
    {
        var profile = details.Profile;
        writer.WriteStartObject();
        writer.WriteString("id", profile.Id);
        writer.WriteString("workspaceId", profile.WorkspaceId);
        writer.WriteString("redirectedFrom", details.RedirectedFrom);
        writer.WriteString("name", ProfileSummary.DisplayName(profile.Traits));
        writer.WriteString("email", ProfileSummary.Text(profile.Traits, "email") ??
            details.Identifiers.Where(h => h.Identifier.Type == IdentifierTypes.Email).Select(h => h.Identifier.Value).FirstOrDefault());
        WriteTime(writer, "createdAt", profile.CreatedAt);
        WriteTime(writer, "updatedAt", profile.UpdatedAt);
        WriteTime(writer, "firstSeen", profile.FirstSeen);
        WriteTime(writer, "lastSeen", profile.LastSeen);

        writer.WriteStartArray("identities");
        foreach (var held in details.Identifiers)
        {
            writer.WriteStartObject();
            writer.WriteString("identifier", held.Identifier.ToString());
            writer.WriteString("type", held.Identifier.Type);
            writer.WriteString("value", held.Identifier.Value);
            WriteTime(writer, "addedAt", held.AddedAt);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WritePropertyName("traits");
        WriteTraits(writer, profile.Traits, lineage: true);
        WriteCounts(writer, profile);
        WriteAudienceState(writer, profile);

        writer.WriteStartArray("accounts");
        foreach (var link in details.Accounts)
        {
            writer.WriteStartObject();
            writer.WriteString("groupId", link.Member.GroupId);
            WriteTime(writer, "linkedAt", link.Member.LinkedAt);
            writer.WritePropertyName("traits");
            if (link.Account is { } account)
            {
                WriteTraits(writer, account.Traits, lineage: false);
            }
            else
            {
                writer.WriteNullValue();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("recentEvents");
        foreach (var e in details.RecentEvents)
        {
            EventJson.Write(writer, e);
        }

        writer.WriteEndArray();
        writer.WriteString("moreEvents", details.MoreBefore is { } before ? $"{eventsPath}?before={before}" : null);
        writer.WriteStartArray("history");
        foreach (var record in details.History)
        {
            WriteHistory(writer, record);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteSummary(Utf8JsonWriter writer, ProfileSummary summary)
    {
        writer.WriteStartObject();
        writer.WriteString("id", summary.Id);
        writer.WriteString("name", summary.Name);
        writer.WriteString("email", summary.Email);
        writer.WriteStartArray("identifiers");
        foreach (var identifier in summary.Identifiers)
        {
            writer.WriteStringValue(identifier.ToString());
        }

        writer.WriteEndArray();
        WriteTime(writer, "firstSeen", summary.FirstSeen);
        WriteTime(writer, "lastSeen", summary.LastSeen);
        writer.WriteNumber("eventTotal", summary.EventTotal);
        writer.WriteEndObject();
    }

    /// <summary>An identity history entry in plain words: what happened, when (event time), through which event, which profiles it merged.</summary>
    public static void WriteHistory(Utf8JsonWriter writer, IdentityRecord record)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", record.Kind);
        WriteTime(writer, "at", record.At);
        writer.WriteString("messageId", record.MessageId.Length == 0 ? null : record.MessageId);
        writer.WriteNumber("sequence", record.Sequence);
        writer.WriteStartArray("mergedProfiles");
        foreach (var merged in record.MergedProfiles)
        {
            writer.WriteStringValue(merged);
        }

        writer.WriteEndArray();
        writer.WriteString("explanation", record.Explanation);
        writer.WriteEndObject();
    }

    /// <summary>Traits by key (ordinal order): with <paramref name="lineage"/> each as value, source, messageId and event time; else the bare values.</summary>
    public static void WriteTraits(Utf8JsonWriter writer, TraitSet traits, bool lineage)
    {
        writer.WriteStartObject();
        foreach (var (key, trait) in traits.Values.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            writer.WritePropertyName(key);
            if (!lineage)
            {
                writer.WriteRawValue(trait.Json, skipInputValidation: true);
                continue;
            }

            writer.WriteStartObject();
            writer.WritePropertyName("value");
            writer.WriteRawValue(trait.Json, skipInputValidation: true);
            writer.WriteString("source", trait.SourceId);
            writer.WriteString("messageId", trait.MessageId);
            WriteTime(writer, "at", trait.At);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    public static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            writer.WriteString(name, t.UtcDateTime);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    // Keys starting with '~' are the unnamed counters behind behavioural conditions: internal, never shown.
    private static void WriteAudienceState(Utf8JsonWriter writer, ProfileState profile)
    {
        writer.WriteStartObject("computedTraits");
        foreach (var (key, trait) in profile.Computed.Where(c => !c.Key.StartsWith('~')).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            writer.WriteStartObject(key);
            writer.WritePropertyName("value");
            if (trait.Json is { } json)
            {
                writer.WriteRawValue(json, skipInputValidation: true);
            }
            else
            {
                writer.WriteNullValue();
            }

            WriteTime(writer, "computedAt", trait.ComputedAt == default ? null : trait.ComputedAt);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteStartObject("audiences");
        foreach (var (key, entered) in profile.Audiences.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            writer.WriteStartObject(key);
            WriteTime(writer, "enteredAt", entered);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter writer, ProfileState profile)
    {
        writer.WriteStartObject("counts");
        writer.WriteNumber("total", profile.EventTotal);
        writer.WriteStartObject("byType");
        foreach (var (type, count) in profile.TypeCounts.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            writer.WriteNumber(type, count);
        }

        writer.WriteEndObject();
        writer.WriteStartObject("byEvent");
        foreach (var (name, count) in profile.EventCounts.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal))
        {
            writer.WriteNumber(name, count);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
