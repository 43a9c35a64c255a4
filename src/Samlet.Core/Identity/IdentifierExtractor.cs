using System.Text.Json;
using Samlet.Events;

namespace Samlet.Identity;

/// <summary>
/// Finds the identifiers in one normalised event (ADR 3): <c>userId</c>, <c>anonymousId</c>, the person's
/// <c>email</c> and <c>phone</c> traits (identify: <c>traits</c>, which include <c>context.traits</c>; other events:
/// <c>context.traits</c>; never a group's own traits, which describe the account), <c>context.device.id</c>,
/// <c>context.device.advertisingId</c> (unless <c>adTrackingEnabled</c> is false), the configured paths, an alias's
/// <c>previousId</c> and a group's <c>groupId</c>. Not thread-safe (reuses buffers): one per worker.
/// </summary>
internal sealed class IdentifierExtractor(IdentityRuleSet rules)
{
    private readonly List<Identifier> _found = new(8);
    private readonly List<LeftOutIdentifier> _invalid = new(2);
    private Identifier? _account;

    public EventIdentifiers Extract(JsonElement payload)
    {
        var type = TypeOf(payload);
        var messageId = Child(payload, "messageId"u8).GetString() ?? throw new FormatException("The event has no messageId.");
        if (!Child(payload, "timestamp"u8).TryGetDateTimeOffset(out var timestamp))
        {
            throw new FormatException($"Event {messageId} has no timestamp.");
        }

        _found.Clear();
        _invalid.Clear();
        _account = null;
        var context = Child(payload, "context"u8);
        var person = type == EventType.Identify ? Child(payload, "traits"u8) : Child(context, "traits"u8);
        var scope = new Scope(payload, context, person);
        Add(IdentifierTypes.UserId, Child(payload, "userId"u8), scope);
        Add(IdentifierTypes.AnonymousId, Child(payload, "anonymousId"u8), scope);
        Add(IdentifierTypes.Email, Child(person, "email"u8), scope);
        Add(IdentifierTypes.Phone, Child(person, "phone"u8), scope);
        var device = Child(context, "device"u8);
        Add(IdentifierTypes.DeviceId, Child(device, "id"u8), scope);
        if (Child(device, "adTrackingEnabled"u8).ValueKind != JsonValueKind.False)
        {
            Add(IdentifierTypes.AdvertisingId, Child(device, "advertisingId"u8), scope);
        }

        if (type == EventType.Group)
        {
            Add(IdentifierTypes.GroupId, Child(payload, "groupId"u8), scope);
        }

        foreach (var rule in rules.WithPaths)
        {
            foreach (var path in rule.Paths)
            {
                Add(rule.Type, Follow(scope, path), scope);
            }
        }

        string? previousId = null;
        if (type == EventType.Alias && Text(Child(payload, "previousId"u8)) is { } previous)
        {
            if (IdentifierNormalizer.TryNormalizeId(previous, out var normal))
            {
                previousId = normal;
            }
            else
            {
                _invalid.Add(LeftOutIdentifier.Invalid(IdentifierTypes.AnonymousId, previous));
            }
        }

        return new EventIdentifiers(messageId, type, timestamp, [.. _found], previousId, _account, _invalid.Count == 0 ? null : [.. _invalid]);
    }

    private void Add(string type, JsonElement element, in Scope scope)
    {
        if (Text(element) is not { } raw || raw.AsSpan().IsWhiteSpace())
        {
            return; // absent or empty: not a value at all
        }

        var hint = type == IdentifierTypes.Phone && !raw.AsSpan().TrimStart().StartsWith('+') ? RegionHint(scope) : null;
        if (!rules.Normalizer.TryNormalize(type, raw, out var value, hint))
        {
            _invalid.Add(LeftOutIdentifier.Invalid(type, raw));
            return;
        }

        var identifier = new Identifier(type, value);
        if (type == IdentifierTypes.GroupId)
        {
            _account ??= identifier;
            return;
        }

        foreach (var found in _found)
        {
            if (found == identifier)
            {
                return;
            }
        }

        _found.Add(identifier);
    }

    // A local phone number is read in the person's country (address.country), else the locale's region ("en-GB").
    private static string? RegionHint(in Scope scope)
    {
        if (Text(Child(Child(scope.Person, "address"u8), "country"u8)) is { } country && IdentifierNormalizer.TryGetRegion(country.AsSpan().Trim(), out var region))
        {
            return region;
        }

        if (Text(Child(scope.Context, "locale"u8)) is { } locale)
        {
            var separator = locale.AsSpan().IndexOfAny('-', '_');
            if (separator > 0 && IdentifierNormalizer.TryGetRegion(locale.AsSpan(separator + 1), out region))
            {
                return region;
            }
        }

        return null;
    }

    private static JsonElement Follow(in Scope scope, string[] path)
    {
        // "traits." means the person's traits, wherever this event type keeps them.
        var (current, start) = path[0] == "traits" ? (scope.Person, 1) : (scope.Payload, 0);
        for (var i = start; i < path.Length; i++)
        {
            current = current.ValueKind == JsonValueKind.Object && current.TryGetProperty(path[i], out var next) ? next : default;
        }

        return current;
    }

    private static string? Text(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetRawText(),
        _ => null,
    };

    private static JsonElement Child(JsonElement element, ReadOnlySpan<byte> name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) ? child : default;

    private static EventType TypeOf(JsonElement payload)
    {
        var type = Child(payload, "type"u8);
        return type.ValueKind != JsonValueKind.String ? throw new FormatException("The event has no type.")
            : type.ValueEquals("identify"u8) ? EventType.Identify
            : type.ValueEquals("track"u8) ? EventType.Track
            : type.ValueEquals("page"u8) ? EventType.Page
            : type.ValueEquals("screen"u8) ? EventType.Screen
            : type.ValueEquals("group"u8) ? EventType.Group
            : type.ValueEquals("alias"u8) ? EventType.Alias
            : throw new FormatException($"'{type.GetString()}' is not an event type.");
    }

    private readonly record struct Scope(JsonElement Payload, JsonElement Context, JsonElement Person);
}
