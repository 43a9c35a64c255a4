namespace Samlet.Ingestion;

/// <summary>Size limits of the Tracking API; the defaults follow Segment (32 KB per event) and RudderStack (4 MB per request).</summary>
public sealed class IngestionLimits
{
    public const int DefaultMaxEventBytes = 32 * 1024;
    public const int DefaultMaxBodyBytes = 4 * 1024 * 1024;
    public const int MaxMessageIdLength = 100;
    public const int MaxEventNameLength = 200;

    /// <summary>Largest single event, in bytes of its JSON as sent.</summary>
    public int MaxEventBytes { get; set; } = DefaultMaxEventBytes;

    /// <summary>Largest request body after decompression.</summary>
    public int MaxBodyBytes { get; set; } = DefaultMaxBodyBytes;
}
