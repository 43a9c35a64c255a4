namespace Samlet.Server.Tests.Sdk;

/// <summary>The calls of <c>tests/sdk-clients/scenario.json</c> that an SDK script makes.</summary>
[Flags]
internal enum ScenarioCalls
{
    Identify = 1,
    Track = 2,
    Page = 4,
    Screen = 8,
    Group = 16,
    Alias = 32,

    /// <summary>A track with a fixed messageId, sent twice in two requests.</summary>
    Duplicate = 64,
    All = Identify | Track | Page | Screen | Group | Alias | Duplicate,
}
