using System.ComponentModel.DataAnnotations;
using Samlet.Ingestion;

namespace Samlet.Server.Hosting;

/// <summary>Settings of the Tracking API, bound from the <c>Ingestion</c> section (<c>SAMLET__Ingestion__MaxBodyBytes</c>…).</summary>
internal sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    [Range(1024, 1024 * 1024)]
    public int MaxEventBytes { get; set; } = IngestionLimits.DefaultMaxEventBytes;

    [Range(1024, 256 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = IngestionLimits.DefaultMaxBodyBytes;

    /// <summary>Proxies whose <c>X-Forwarded-For</c> is believed (IP addresses). Others' headers are ignored.</summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>Exposes <c>POST /_ceiling/v1/batch</c>, which parses and acknowledges without storing: the load test's ceiling.</summary>
    public bool CeilingEndpoint { get; set; }
}
