using System.Text.Json;
using Samlet.Audiences;

namespace Samlet.Profiles;

/// <summary>
/// A computed trait (or the unnamed aggregate of a behavioural condition) on a profile: its value (raw JSON, null when
/// there is none), when it was computed, the fingerprint of the definition it follows, and the state that keeps it
/// current. A stored state stays JSON text until the audience stage attaches the definition to it.
/// </summary>
public sealed class ComputedTrait
{
    private string? _stateJson;

    private ComputedTrait(string fingerprint) => Fingerprint = fingerprint;

    public string Fingerprint { get; }

    public string? Json { get; set; }

    public DateTimeOffset ComputedAt { get; set; }

    /// <summary>False while the state holds only the events since the definition appeared, not the profile's earlier ones (the backfill completes it).</summary>
    public bool Complete { get; set; }

    /// <summary>The state, once attached to its definition.</summary>
    public AggregateState? State { get; private set; }

    public static ComputedTrait New(AggregateSpec spec, bool complete) => new(spec.Fingerprint) { State = new AggregateState(spec), Complete = complete };

    public static ComputedTrait Stored(string fingerprint, string? json, DateTimeOffset computedAt, bool complete, string stateJson) =>
        new(fingerprint) { Json = json, ComputedAt = computedAt, Complete = complete, _stateJson = stateJson };

    /// <summary>Turns the stored state into a live one for <paramref name="spec"/> (whose fingerprint must be this one's).</summary>
    public void Attach(AggregateSpec spec)
    {
        if (State is not null)
        {
            return;
        }

        using var document = JsonDocument.Parse(_stateJson ?? "{}");
        State = AggregateState.Read(spec, document.RootElement);
        _stateJson = null;
    }

    public void WriteState(Utf8JsonWriter writer)
    {
        if (State is not null)
        {
            State.Write(writer);
        }
        else
        {
            writer.WriteRawValue(_stateJson ?? "{}", skipInputValidation: true);
        }
    }
}
