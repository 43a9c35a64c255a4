namespace Samlet.Storage;

/// <summary>How many events an append stored, skipped as duplicates of earlier messageIds, and rejected.</summary>
public readonly record struct AppendResult(int Stored, int Duplicates, int Rejected);
