using System.Diagnostics.CodeAnalysis;
using Samlet.Identity;

namespace Samlet.Server.Profiles;

/// <summary>
/// How a caller names a profile: by its id (<c>prf_…</c>, also written <c>profile_id:prf_…</c>) or by an identifier it
/// holds (<c>type:value</c>). The value is not normalised here (<see cref="ProfileReader"/> does it with the workspace's
/// rules).
/// </summary>
internal readonly record struct ProfileReference(string? ProfileId, Identifier Identifier)
{
    /// <summary>The type under which Samlet's own profile ids are accepted where an identifier is expected.</summary>
    public const string ProfileIdType = "profile_id";

    private const string ProfileIdPrefix = "prf_";

    public override string ToString() => ProfileId ?? Identifier.ToString();

    public static bool TryParse(string? text, out ProfileReference reference, [NotNullWhen(false)] out string? error)
    {
        reference = default;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "A profile is named by its id (prf_…) or by an identifier type:value, e.g. email:jane@example.com; nothing was given.";
            return false;
        }

        if (text.StartsWith(ProfileIdPrefix, StringComparison.Ordinal) && !text.Contains(':', StringComparison.Ordinal))
        {
            reference = new ProfileReference(text, default);
            return true;
        }

        if (!Identifier.TryParse(text, out var identifier))
        {
            error = $"\"{text}\" is neither a profile id (prf_…) nor an identifier type:value, e.g. email:jane@example.com " +
                    "(the type is lower-case letters, digits and _, starting with a letter).";
            return false;
        }

        reference = identifier.Type == ProfileIdType ? new ProfileReference(identifier.Value, default) : new ProfileReference(null, identifier);
        return true;
    }

    /// <summary>
    /// A route value as sent: ASP.NET Core decodes every escape in a path except <c>%2F</c> (to keep segments apart), so
    /// an identifier whose value holds a '/' arrives with it still escaped.
    /// </summary>
    public static string FromPath(string value) =>
        value.Contains('%', StringComparison.Ordinal) ? value.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase) : value;
}
