namespace Samlet.Identity;

/// <summary>
/// One entry of a profile's identity history: an event that created, extended or merged it (or was refused a link),
/// or an unmerge. <see cref="Explanation"/> is in plain words and contains identifier values: never log it.
/// </summary>
public sealed record IdentityRecord(
    string ProfileId,
    long Sequence,
    string MessageId,
    DateTimeOffset At,
    string Kind,
    IReadOnlyList<string> MergedProfiles,
    string Explanation);
