namespace Samlet.Core.Tests.Demo;

/// <summary>What the spec check makes of one line: valid, one of the planted kinds of bad data, or a real violation.</summary>
public enum LineVerdict
{
    Valid,
    Malformed,
    PlaceholderId,
    MissingIds,
    TrackWithoutEvent,
    Violation,
}
