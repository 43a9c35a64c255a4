namespace Samlet.Pipeline;

/// <summary>The checkpoint was not where the change set expected it: another worker (or a rebuild) moved it. Nothing was applied.</summary>
public sealed class CheckpointConflictException(string consumer, long expected)
    : Exception($"The {consumer} checkpoint is no longer at {expected}; another worker moved it. Nothing was applied.");
