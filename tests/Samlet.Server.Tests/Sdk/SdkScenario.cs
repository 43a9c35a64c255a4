using System.Text.Json;

namespace Samlet.Server.Tests.Sdk;

/// <summary>The events of <c>tests/sdk-clients/scenario.json</c>, which every SDK script sends, as the server must store them.</summary>
internal static class SdkScenario
{
    public static IReadOnlyList<ExpectedEvent> Expected(ScenarioCalls calls)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(NodeScript.ClientsDirectory, "scenario.json")));
        var s = document.RootElement.Clone();
        var userId = Text(s, "userId");
        var anonymousId = Text(s, "anonymousId");
        var expected = new List<ExpectedEvent>();
        if (calls.HasFlag(ScenarioCalls.Identify))
        {
            expected.Add(new ExpectedEvent("identify", null, userId, anonymousId) { Traits = s.GetProperty("identify").GetProperty("traits") });
        }

        if (calls.HasFlag(ScenarioCalls.Track))
        {
            var track = s.GetProperty("track");
            expected.Add(new ExpectedEvent("track", Text(track, "event"), userId, anonymousId) { Properties = track.GetProperty("properties") });
        }

        if (calls.HasFlag(ScenarioCalls.Page))
        {
            // The page is the anonymous visitor's: no userId.
            var page = s.GetProperty("page");
            expected.Add(new ExpectedEvent("page", Text(page, "name"), null, anonymousId) { Category = Text(page, "category"), Properties = page.GetProperty("properties") });
        }

        if (calls.HasFlag(ScenarioCalls.Screen))
        {
            var screen = s.GetProperty("screen");
            expected.Add(new ExpectedEvent("screen", Text(screen, "name"), userId, anonymousId) { Properties = screen.GetProperty("properties") });
        }

        if (calls.HasFlag(ScenarioCalls.Group))
        {
            var group = s.GetProperty("group");
            expected.Add(new ExpectedEvent("group", null, userId, anonymousId) { GroupId = Text(group, "groupId"), Traits = group.GetProperty("traits") });
        }

        if (calls.HasFlag(ScenarioCalls.Alias))
        {
            expected.Add(new ExpectedEvent("alias", null, userId, null) { PreviousId = anonymousId });
        }

        if (calls.HasFlag(ScenarioCalls.Duplicate))
        {
            var duplicate = s.GetProperty("duplicate");
            expected.Add(new ExpectedEvent("track", Text(duplicate, "event"), userId, anonymousId)
            {
                MessageId = Text(duplicate, "messageId"),
                Properties = duplicate.GetProperty("properties"),
            });
        }

        return expected;
    }

    private static string Text(JsonElement element, string name) => element.GetProperty(name).GetString()!;
}
