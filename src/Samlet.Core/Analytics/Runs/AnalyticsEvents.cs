using System.Globalization;
using System.Text.Json.Nodes;
using Samlet.Events;
using Samlet.Identity;
using Samlet.Sources;

namespace Samlet.Analytics.Runs;

/// <summary>
/// The identify events by which an analytics run writes its predictions onto a profile as traits, from the workspace's
/// analytics source (<see cref="OwnSources.AnalyticsOf"/>): the traits, the profile in <c>context.samlet.profileId</c>
/// and the run in <c>context.samlet.runId</c>. The pipeline sets the traits (with the event as lineage) on the named
/// profile without counting the event as the person's activity. The message id follows from the run and the profile, so
/// appending a run's events again adds nothing.
/// </summary>
public static class AnalyticsEvents
{
    /// <param name="traits">Trait values: numbers, strings, arrays of strings, or null (the trait's value becomes JSON null).</param>
    public static CollectedEvent Create(string workspaceId, long runId, string profileId, ProfileIdentity? identity, IReadOnlyList<KeyValuePair<string, JsonNode?>> traits, DateTimeOffset now)
    {
        var run = runId.ToString(CultureInfo.InvariantCulture);
        var messageId = OwnEvent.MessageId("ana-", run, profileId);
        return OwnEvent.Create(
            OwnSources.AnalyticsOf(workspaceId), EventType.Identify, null, messageId, profileId, identity, now,
            writer =>
            {
                writer.WriteStartObject("traits"u8);
                foreach (var (key, value) in traits)
                {
                    writer.WritePropertyName(key);
                    if (value is null)
                    {
                        writer.WriteNullValue();
                    }
                    else
                    {
                        value.WriteTo(writer);
                    }
                }

                writer.WriteEndObject();
            },
            samlet => samlet.WriteNumber("runId"u8, runId));
    }
}
