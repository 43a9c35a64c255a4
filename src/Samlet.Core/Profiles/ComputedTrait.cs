namespace Samlet.Profiles;

/// <summary>A computed trait's value on a profile (raw JSON, null when nothing matched), the definition fingerprint it was computed with, and when.</summary>
public sealed class ComputedTrait
{
    public required string Fingerprint { get; init; }

    public string? Json { get; set; }

    public DateTimeOffset ComputedAt { get; set; }
}
