namespace Samlet.Audiences;

/// <summary>A workspace's audience: the profiles meeting <see cref="Condition"/>. <see cref="Key"/> names it in <c>memberOf</c> and in events.</summary>
public sealed record AudienceDefinition(string Key, string Name, string? Description, Condition Condition);
