using System.Diagnostics;

namespace Samlet.Pipeline;

/// <summary>The parts of the pipeline worker's work whose time <see cref="PipelineTimes"/> adds up.</summary>
public enum PipelinePhase
{
    /// <summary>Reading batches from the event log (beside the worker while it catches up).</summary>
    Read,

    /// <summary>Parsing the payloads and extracting their identifiers (beside the worker while it catches up).</summary>
    Parse,

    /// <summary>The worker waiting for its next batch to be read and parsed.</summary>
    Wait,

    /// <summary>Loading what a batch touches and deciding: identities, profiles, audiences.</summary>
    Decide,

    /// <summary>Applying decided batches to the store.</summary>
    Commit,
}

/// <summary>
/// Where the pipeline worker's time went since it was made, per <see cref="PipelinePhase"/>: elapsed time (not the
/// domain clock), so phases that run beside each other add up to more than the time that passed. The server publishes it
/// as the counter <c>samlet.pipeline.time</c>; the pipeline benchmark prints it.
/// </summary>
public sealed class PipelineTimes
{
    private readonly long[] _ticks = new long[Enum.GetValues<PipelinePhase>().Length];

    public TimeSpan this[PipelinePhase phase] => TimeSpan.FromSeconds(Interlocked.Read(ref _ticks[(int)phase]) / (double)Stopwatch.Frequency);

    /// <summary>Adds the time since <paramref name="started"/> (a <see cref="Stopwatch.GetTimestamp"/>) to <paramref name="phase"/>.</summary>
    internal void Add(PipelinePhase phase, long started) =>
        Interlocked.Add(ref _ticks[(int)phase], Stopwatch.GetTimestamp() - started);
}
