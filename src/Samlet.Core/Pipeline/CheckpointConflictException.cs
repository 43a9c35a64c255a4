namespace Samlet.Pipeline;

/// <summary>
/// Another worker (or a rebuild) moved the checkpoint the change set expected, or wrote derived state beside it. Nothing
/// was applied; the batch is read again.
/// </summary>
public sealed class CheckpointConflictException : Exception
{
    public CheckpointConflictException(string consumer, long expected)
        : base($"The {consumer} checkpoint is no longer at {expected}, or was written since it was read: another worker moved it or wrote derived state. Nothing was applied.")
    {
    }

    public CheckpointConflictException(string message)
        : base(message)
    {
    }
}
