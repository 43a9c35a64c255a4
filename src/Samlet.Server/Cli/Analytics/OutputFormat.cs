namespace Samlet.Server.Cli.Analytics;

/// <summary>How an analytics command prints its result (<c>--format</c>).</summary>
internal enum OutputFormat
{
    Table,
    Json,
    Csv,
}
