namespace Samlet.Events;

/// <summary>The six message types of the Segment spec.</summary>
public enum EventType
{
    Identify,
    Track,
    Page,
    Screen,
    Group,
    Alias,
}
