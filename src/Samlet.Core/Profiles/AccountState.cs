namespace Samlet.Profiles;

/// <summary>An account (a group event's <c>groupId</c>): its traits from group events, and when it was first and last seen.</summary>
public sealed class AccountState(string workspaceId, string groupId)
{
    public string WorkspaceId { get; } = workspaceId;

    public string GroupId { get; } = groupId;

    public TraitSet Traits { get; } = new();

    public DateTimeOffset? FirstSeen { get; set; }

    public DateTimeOffset? LastSeen { get; set; }

    public void See(DateTimeOffset at)
    {
        if (FirstSeen is null || at < FirstSeen)
        {
            FirstSeen = at;
        }

        if (LastSeen is null || at > LastSeen)
        {
            LastSeen = at;
        }
    }
}
