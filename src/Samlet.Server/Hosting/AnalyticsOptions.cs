using System.ComponentModel.DataAnnotations;

namespace Samlet.Server.Hosting;

/// <summary>Settings of the analytics scheduler, bound from the <c>Analytics</c> section (<c>SAMLET__Analytics__Enabled</c>…). What a run computes is set per workspace through <c>/api/analytics/settings</c>.</summary>
internal sealed class AnalyticsOptions
{
    public const string Section = "Analytics";

    /// <summary>Whether this instance may run analytics jobs (with the pipeline role).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Seconds between looks for due or requested runs.</summary>
    [Range(1, 3600)]
    public int PollSeconds { get; set; } = 15;
}
