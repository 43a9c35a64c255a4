namespace Samlet.Events;

/// <summary>Conversions between <see cref="EventType"/> and the names the wire and the stores use.</summary>
public static class EventTypes
{
    public static string ToWire(this EventType type) => type switch
    {
        EventType.Identify => "identify",
        EventType.Track => "track",
        EventType.Page => "page",
        EventType.Screen => "screen",
        EventType.Group => "group",
        EventType.Alias => "alias",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Parses a type name, a one-letter short name (<c>t</c>, <c>i</c>…) included.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out EventType type)
    {
        switch (text)
        {
            case "identify" or "i": type = EventType.Identify; return true;
            case "track" or "t": type = EventType.Track; return true;
            case "page" or "p": type = EventType.Page; return true;
            case "screen" or "s": type = EventType.Screen; return true;
            case "group" or "g": type = EventType.Group; return true;
            case "alias" or "a": type = EventType.Alias; return true;
            default: type = default; return false;
        }
    }
}
