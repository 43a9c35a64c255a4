using System.ComponentModel.DataAnnotations;
using Samlet.Pipeline;
using Samlet.Server.Cli;
using Samlet.Storage;

namespace Samlet.Server.Hosting;

/// <summary>Settings of the pipeline worker, bound from the <c>Pipeline</c> section (<c>SAMLET__Pipeline__Enabled</c>…).</summary>
internal sealed class PipelineOptions
{
    public const string Section = "Pipeline";

    /// <summary>Whether this instance runs the pipeline worker (an ingest-only instance turns it off).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Events read and decided per batch.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 2000;

    /// <summary>
    /// While the pipeline is behind, events of consecutive batches committed together (<c>PipelineWorker.EventsPerCommit</c>;
    /// fewer when the worker holds more than <see cref="CachedProfiles"/> profiles). Null: the store's choice, 2,000,000 on
    /// the embedded store and 100,000 on PostgreSQL.
    /// </summary>
    [Range(1, 10_000_000)]
    public int? EventsPerCommit { get; set; }

    /// <summary>Profiles the worker keeps in memory between commits at most (<c>PipelineWorker.CachedProfiles</c>; 0: none kept).</summary>
    [Range(0, 100_000_000)]
    public int CachedProfiles { get; set; } = 100_000;

    /// <summary>Seconds between scheduled re-checks of profiles whose rolling windows moved (audiences and computed traits).</summary>
    [Range(1, 86_400)]
    public int RecheckSeconds { get; set; } = 60;

    /// <summary>How long an audience preview snapshot is used after the pipeline has moved on (0: reload whenever it has).</summary>
    [Range(0, 86_400)]
    public int PreviewFreshSeconds { get; set; } = 10;

    /// <summary>A worker with these settings: the server's, and the CLI's that process the log (rebuild, analytics run).</summary>
    public PipelineWorker WorkerFor(ICdpStore store, TimeProvider time) => new(store, time)
    {
        BatchSize = BatchSize,
        EventsPerCommit = EventsPerCommit ?? store.EventsPerCatchUpCommit,
        CachedProfiles = CachedProfiles,
    };

    /// <summary>
    /// The <c>SAMLET__Pipeline__*</c> settings of the environment, for commands that run without the server's host;
    /// <see cref="UsageException"/> when one is malformed or out of range, as the server refuses to start then.
    /// </summary>
    public static PipelineOptions FromEnvironment()
    {
        PipelineOptions options;
        try
        {
            options = new ConfigurationBuilder().AddEnvironmentVariables("SAMLET__").Build().GetSection(Section).Get<PipelineOptions>() ?? new();
        }
        catch (InvalidOperationException e)
        {
            throw new UsageException($"SAMLET__{Section}__*: {e.Message}");
        }

        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true))
        {
            throw new UsageException($"SAMLET__{Section}__*: {string.Join(" ", problems.Select(p => p.ErrorMessage))}");
        }

        return options;
    }
}
