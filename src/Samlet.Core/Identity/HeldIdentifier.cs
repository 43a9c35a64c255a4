namespace Samlet.Identity;

/// <summary>An identifier a profile holds, and the event time at which it was added (windowed limits count these).</summary>
public readonly record struct HeldIdentifier(Identifier Identifier, DateTimeOffset AddedAt);
