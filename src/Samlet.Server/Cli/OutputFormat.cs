namespace Samlet.Server.Cli;

/// <summary>How a command prints its result.</summary>
internal enum OutputFormat
{
    Table,
    Json,
    Csv,
}
