namespace Samlet.Server.Cli;

/// <summary>The store a command names does not exist or cannot be reached; the message says which and why.</summary>
internal sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
