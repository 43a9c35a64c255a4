using System.Text.Json;

namespace Samlet.Server.Tests.Sdk;

/// <summary>
/// One event a script sent, as the server must store it. <see cref="Name"/> is the stored <c>event</c> column: the
/// track event name, or the page or screen name. A null optional field is not checked.
/// </summary>
internal sealed record ExpectedEvent(string Type, string? Name, string? UserId, string? AnonymousId)
{
    public string? MessageId { get; init; }

    public string? Category { get; init; }

    public string? GroupId { get; init; }

    public string? PreviousId { get; init; }

    /// <summary>Must equal the stored <c>traits</c> exactly.</summary>
    public JsonElement? Traits { get; init; }

    /// <summary>Each member must be in the stored <c>properties</c> (SDKs may add their own, e.g. a page's url).</summary>
    public JsonElement? Properties { get; init; }

    public string Key => $"{Type} \"{Name}\"";
}
