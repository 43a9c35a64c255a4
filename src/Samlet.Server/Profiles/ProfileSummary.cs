using System.Text.Json;
using Samlet.Identity;
using Samlet.Profiles;

namespace Samlet.Server.Profiles;

/// <summary>One line of a search result: who it is (name and e-mail from the traits), how to find them, how active.</summary>
internal sealed record ProfileSummary(
    string Id,
    string? Name,
    string? Email,
    IReadOnlyList<Identifier> Identifiers,
    DateTimeOffset? FirstSeen,
    DateTimeOffset? LastSeen,
    long EventTotal)
{
    public static ProfileSummary From(ProfileState profile, IReadOnlyList<HeldIdentifier> identifiers) => new(
        profile.Id,
        DisplayName(profile.Traits),
        Text(profile.Traits, "email") ?? identifiers.Where(h => h.Identifier.Type == IdentifierTypes.Email).Select(h => h.Identifier.Value).FirstOrDefault(),
        [.. identifiers.Select(h => h.Identifier)],
        profile.FirstSeen,
        profile.LastSeen,
        profile.EventTotal);

    /// <summary>The spec's <c>name</c> trait, else first and last name (camelCase or snake_case), else <c>username</c>.</summary>
    public static string? DisplayName(TraitSet traits)
    {
        if (Text(traits, "name") is { } name)
        {
            return name;
        }

        var first = Text(traits, "firstName") ?? Text(traits, "first_name");
        var last = Text(traits, "lastName") ?? Text(traits, "last_name");
        return first is null && last is null ? Text(traits, "username") : string.Join(' ', new[] { first, last }.Where(p => p is not null));
    }

    /// <summary>A trait's value when it is a non-blank JSON string.</summary>
    public static string? Text(TraitSet traits, string key)
    {
        if (traits[key] is not { } trait || !trait.Json.StartsWith('"'))
        {
            return null;
        }

        var text = JsonSerializer.Deserialize<string>(trait.Json);
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }
}
