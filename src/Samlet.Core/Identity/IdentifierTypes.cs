namespace Samlet.Identity;

/// <summary>The built-in identifier types. Workspaces may add custom ones (e.g. <c>crm_id</c>) in their rules.</summary>
public static class IdentifierTypes
{
    public const string UserId = "user_id";
    public const string AnonymousId = "anonymous_id";
    public const string Email = "email";
    public const string Phone = "phone";
    public const string DeviceId = "device_id";
    public const string AdvertisingId = "advertising_id";

    /// <summary>An account (the <c>groupId</c> of a group event): linked to a person, never merged into one.</summary>
    public const string GroupId = "group_id";

    public static bool IsBuiltIn(string type) => type is UserId or AnonymousId or Email or Phone or DeviceId or AdvertisingId or GroupId;
}
