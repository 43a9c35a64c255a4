namespace Samlet.Identity;

/// <summary>
/// An identifier an unmerge cut: from then on (and in every rebuild) it links nothing, as if blocked; events carrying
/// it are placed by their other identifiers. <see cref="ProfileId"/> is the profile it was cut from.
/// </summary>
public sealed record IdentityCut(string WorkspaceId, Identifier Identifier, string ProfileId, DateTimeOffset CutAt);
