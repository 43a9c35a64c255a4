namespace Samlet.Audiences;

/// <summary>A definition as stored: its JSON (validated before it was stored) and the workspace definitions version at which it last changed.</summary>
public sealed record StoredDefinition(string WorkspaceId, DefinitionKind Kind, string Key, string Json, long Version, DateTimeOffset UpdatedAt);
