namespace Samlet.Analytics.Runs;

/// <summary>What one analytics run found: its report (JSON, served by <c>GET /api/analytics/…</c>) and a prediction per customer.</summary>
public sealed record AnalyticsOutcome(string ReportJson, IReadOnlyList<ProfilePrediction> Predictions, IReadOnlyList<string> Warnings);
