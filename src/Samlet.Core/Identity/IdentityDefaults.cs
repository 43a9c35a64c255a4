namespace Samlet.Identity;

/// <summary>The default rules (docs/identity.md explains each choice).</summary>
public static class IdentityDefaults
{
    /// <summary>
    /// Placeholders that SDKs, forms and string conversions produce by mistake; blocked for every type.
    /// (Empty and blank values never become identifiers in the first place.)
    /// </summary>
    public static IReadOnlyList<string> BlockedValues { get; } =
    [
        "null", "undefined", "none", "nil", "nan", "0", "-1", "anonymous", "guest", "unknown", "n/a", "[object Object]", "",
    ];

    /// <summary>The default entry of each built-in type. Lower priority numbers are more important.</summary>
    public static IReadOnlyList<IdentifierTypeRule> Types { get; } =
    [
        new() { Type = IdentifierTypes.UserId, Priority = 1, Limit = 1 },
        new()
        {
            Type = IdentifierTypes.Email,
            Priority = 2,
            Limit = 5,
            BlockedValues = ["test@test.com", "test@example.com", "a@a.com", "email@example.com", "user@example.com"],
            BlockedPatterns = [@"^(no-?reply|do-?not-?reply)@"],
        },
        new() { Type = IdentifierTypes.Phone, Priority = 3, Limit = 5 },
        new() { Type = IdentifierTypes.DeviceId, Priority = 4, BlockedPatterns = [ZeroId] },
        new() { Type = IdentifierTypes.AdvertisingId, Priority = 4, BlockedPatterns = [ZeroId] },
        new() { Type = IdentifierTypes.AnonymousId, Priority = 5 },
        new() { Type = IdentifierTypes.GroupId, Priority = 6 },
    ];

    // An all-zero id such as the IDFA iOS reports when ad tracking is limited: shared by millions of devices.
    private const string ZeroId = "^[0-]+$";
}
