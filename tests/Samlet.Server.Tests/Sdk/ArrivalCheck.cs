using System.Text.Json;

namespace Samlet.Server.Tests.Sdk;

/// <summary>
/// Compares the events the read API returns with the events a script sent: each arrived exactly once, with its type,
/// ids, name, traits and properties, stamped with the SDK's <c>context.library</c>. Lists every difference, so one
/// failing run shows the whole incompatibility.
/// </summary>
internal static class ArrivalCheck
{
    public static IReadOnlyList<string> Differences(IReadOnlyList<JsonElement> stored, IReadOnlyList<ExpectedEvent> expected, string library, string version)
    {
        var problems = new List<string>();
        var byKey = stored.ToLookup(KeyOf);
        foreach (var want in expected)
        {
            var matches = byKey[want.Key].ToList();
            if (matches.Count != 1)
            {
                problems.Add($"{want.Key}: stored {matches.Count} times, expected once.");
                continue;
            }

            Compare(matches[0], want, library, version, problems);
        }

        var expectedKeys = expected.Select(w => w.Key).ToHashSet();
        foreach (var unexpected in stored.Where(e => !expectedKeys.Contains(KeyOf(e))))
        {
            problems.Add($"unexpected stored event: {unexpected.GetRawText()}");
        }

        return problems;
    }

    private static void Compare(JsonElement stored, ExpectedEvent want, string library, string version, List<string> problems)
    {
        var payload = stored.GetProperty("payload");
        void Check(string what, string? actual, string? expected)
        {
            if (actual != expected)
            {
                problems.Add($"{want.Key}: {what} is {Show(actual)}, expected {Show(expected)}.");
            }
        }

        Check("userId", Column(stored, "userId"), want.UserId);
        Check("anonymousId", Column(stored, "anonymousId"), want.AnonymousId);
        Check("payload.userId", Column(payload, "userId"), want.UserId);
        Check("payload.anonymousId", Column(payload, "anonymousId"), want.AnonymousId);
        Check("payload.messageId", Column(payload, "messageId"), Column(stored, "messageId"));
        if (string.IsNullOrEmpty(Column(stored, "messageId")))
        {
            problems.Add($"{want.Key}: no messageId.");
        }

        if (want.MessageId is not null)
        {
            Check("messageId", Column(stored, "messageId"), want.MessageId);
        }

        Check(want.Type == "track" ? "payload.event" : "payload.name", Column(payload, want.Type == "track" ? "event" : "name"), want.Name);
        if (want.Category is not null)
        {
            Check("payload.category", Column(payload, "category"), want.Category);
        }

        if (want.GroupId is not null)
        {
            Check("payload.groupId", Column(payload, "groupId"), want.GroupId);
        }

        if (want.PreviousId is not null)
        {
            Check("payload.previousId", Column(payload, "previousId"), want.PreviousId);
        }

        if (want.Traits is { } traits && !(payload.TryGetProperty("traits", out var actualTraits) && JsonElement.DeepEquals(actualTraits, traits)))
        {
            problems.Add($"{want.Key}: traits are {Raw(payload, "traits")}, expected {traits.GetRawText()}.");
        }

        if (want.Properties is { } properties && !(payload.TryGetProperty("properties", out var actualProperties) && Contains(actualProperties, properties)))
        {
            problems.Add($"{want.Key}: properties are {Raw(payload, "properties")}, expected them to contain {properties.GetRawText()}.");
        }

        var libraryName = payload.TryGetProperty("context", out var context) && context.TryGetProperty("library", out var lib) ? lib : default;
        Check("context.library.name", Column(libraryName, "name"), library);
        Check("context.library.version", Column(libraryName, "version"), version);
        if (payload.TryGetProperty("writeKey", out _))
        {
            problems.Add($"{want.Key}: the stored payload keeps the writeKey.");
        }
    }

    // The stored "event" column is the track event name, or the page or screen name.
    private static string KeyOf(JsonElement stored) => $"{Column(stored, "type")} \"{Column(stored, "event")}\"";

    // Every member of expected is in actual with an equal value; arrays and leaves must be equal.
    private static bool Contains(JsonElement actual, JsonElement expected) =>
        expected.ValueKind == JsonValueKind.Object
            ? actual.ValueKind == JsonValueKind.Object &&
              expected.EnumerateObject().All(p => actual.TryGetProperty(p.Name, out var a) && Contains(a, p.Value))
            : JsonElement.DeepEquals(actual, expected);

    private static string? Column(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Raw(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.GetRawText() : "absent";

    private static string Show(string? text) => text is null ? "null" : $"\"{text}\"";
}
