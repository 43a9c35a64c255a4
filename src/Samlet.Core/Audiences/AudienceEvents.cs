using System.Globalization;
using Samlet.Events;
using Samlet.Identity;

namespace Samlet.Audiences;

/// <summary>
/// The <c>Audience Entered</c> / <c>Audience Exited</c> track events the audience stage appends to the event log from
/// the workspace's audience source (<see cref="Sources.OwnSources.AudiencesOf"/>): the audience in <c>properties</c>,
/// the profile in <c>context.samlet.profileId</c>, by which the pipeline links the event to the timeline.
/// </summary>
public static class AudienceEvents
{
    public const string Entered = "Audience Entered";
    public const string Exited = "Audience Exited";

    public static CollectedEvent Create(string sourceId, string profileId, ProfileIdentity? identity, AudienceDefinition audience, bool entered, DateTimeOffset now)
    {
        var name = entered ? Entered : Exited;
        var messageId = OwnEvent.MessageId("aud-", profileId, audience.Key, name, now.UtcTicks.ToString(CultureInfo.InvariantCulture));
        return OwnEvent.Create(sourceId, EventType.Track, name, messageId, profileId, identity, now, writer =>
        {
            writer.WriteStartObject("properties"u8);
            writer.WriteString("audience_key"u8, audience.Key);
            writer.WriteString("audience_name"u8, audience.Name);
            writer.WriteString("profile_id"u8, profileId);
            writer.WriteEndObject();
        });
    }
}
