using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Samlet.Audiences;
using Samlet.Events;
using Samlet.Identity;

namespace Samlet.Core.Tests.Audiences;

public sealed class AudienceEventsTests
{
    private static readonly DateTimeOffset _now = new(2026, 3, 1, 9, 0, 0, 123, TimeSpan.Zero);

    [Fact]
    public void An_announcement_is_a_track_event_naming_the_audience_and_the_profile_by_its_user_id()
    {
        var identity = new ProfileIdentity("prf_1", _now, [new HeldIdentifier(new Identifier(IdentifierTypes.UserId, "u1"), _now)]);
        var audience = new AudienceDefinition("vip", "VIP", null, new HasIdentifierCondition("email"));

        var e = AudienceEvents.Create("src_audiences_ws", "prf_1", identity, audience, entered: true, _now);

        // The message id follows from the profile, the audience, the transition and its time (as it always has).
        var messageId = "aud-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            "prf_1\0vip\0Audience Entered\0" + _now.UtcTicks.ToString(CultureInfo.InvariantCulture))))[..32];
        Assert.Equal(
            $$$"""{"type":"track","event":"Audience Entered","messageId":"{{{messageId}}}","userId":"u1","properties":{"audience_key":"vip","audience_name":"VIP","profile_id":"prf_1"},"context":{"library":{"name":"samlet"},"samlet":{"profileId":"prf_1"}},"timestamp":"2026-03-01T09:00:00.1230000Z","originalTimestamp":"2026-03-01T09:00:00.1230000Z","receivedAt":"2026-03-01T09:00:00.1230000Z"}""",
            Encoding.UTF8.GetString(e.Payload.Span));
        Assert.Equal(
            new CollectedEvent("src_audiences_ws", messageId, EventType.Track, "Audience Entered", "u1", null, _now, _now, e.Payload),
            e);
        Assert.NotEqual(messageId, AudienceEvents.Create("src_audiences_ws", "prf_1", identity, audience, entered: false, _now).MessageId);
    }
}
