using Samlet.Profiles;

namespace Samlet.Server.Profiles;

/// <summary>
/// The outcome of finding a profile: the live profile (and the merged-away id it was asked for by, if so), or why there
/// is none: <see cref="Malformed"/> (400: the request can never name a profile) or not found (404), in <see cref="Problem"/>.
/// </summary>
internal sealed record ProfileLookup(ProfileState? Profile, string? RedirectedFrom, bool Malformed, string Problem)
{
    public static ProfileLookup Found(ProfileState profile, string? redirectedFrom) => new(profile, redirectedFrom, false, "");

    public static ProfileLookup NotFound(string problem) => new(null, null, false, problem);

    public static ProfileLookup Bad(string problem) => new(null, null, true, problem);
}
