namespace Samlet.Server.Cli;

/// <summary>A command line that is well-formed but asks for something impossible, e.g. a holdout ending before it starts.</summary>
internal sealed class UsageException(string message) : Exception(message);
