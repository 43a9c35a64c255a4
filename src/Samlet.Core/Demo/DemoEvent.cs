namespace Samlet.Demo;

/// <summary>
/// One line of demo data: a Segment message as UTF-8 JSON (no trailing newline) and its timestamp.
/// A small documented share of lines is bad on purpose, including a few that are not JSON at all.
/// </summary>
public readonly record struct DemoEvent(DateTimeOffset Timestamp, ReadOnlyMemory<byte> Line);
