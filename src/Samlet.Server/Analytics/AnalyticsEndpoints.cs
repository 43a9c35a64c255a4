using System.Globalization;
using System.Text;
using System.Text.Json;
using Samlet.Analytics.Runs;
using Samlet.Server.Admin;
using Samlet.Server.Audiences;
using Samlet.Server.Profiles;
using Samlet.Storage;

namespace Samlet.Server.Analytics;

/// <summary>
/// The analytics API (docs/analytics.md "In the platform"): the workspace's settings, its runs (ask for one, list,
/// read one with its report), and each part of the latest successful run's report under its own path
/// (<c>/api/analytics/rfm</c>, <c>lifetime</c>, <c>backtest</c>, <c>rules</c>, <c>attribution</c>, <c>funnels</c>,
/// <c>cohorts</c>, <c>data</c>, <c>warnings</c>).
/// </summary>
internal static class AnalyticsEndpoints
{
    private const int MaxRunsPage = 200;

    private static readonly string[] _sections = ["data", "rfm", "lifetime", "backtest", "rules", "attribution", "funnels", "cohorts", "warnings"];

    public static void MapAnalytics(this RouteGroupBuilder api)
    {
        var analytics = api.MapGroup("/analytics");
        analytics.MapGet("/settings", GetSettingsAsync);
        analytics.MapPut("/settings", PutSettingsAsync);
        analytics.MapGet("/runs", ListRunsAsync);
        analytics.MapPost("/runs", RequestRunAsync);
        analytics.MapGet("/runs/{id}", GetRunAsync);
        analytics.MapGet("/{section}", GetSectionAsync);
    }

    private static async Task<IResult> GetSettingsAsync(HttpContext http, AnalyticsJob job) =>
        Json(AnalyticsSettingsJson.Write(await job.SettingsAsync(http.ApiKey().WorkspaceId, http.RequestAborted)));

    private static async Task<IResult> PutSettingsAsync(HttpContext http, ICdpStore store, TimeProvider time)
    {
        if (await DefinitionInput.ReadAsync(http.Request.Body, http.RequestAborted) is not { } body)
        {
            return Problems.TooLarge("settings document", DefinitionInput.MaxBytes);
        }

        var parsed = AnalyticsSettingsJson.Parse(body);
        if (parsed.Definition is not { } settings)
        {
            return Problems.Refused("Invalid settings", "The analytics settings were refused; nothing was changed.", parsed.Problems);
        }

        var json = AnalyticsSettingsJson.Write(settings);
        await store.Analytics.PutSettingsAsync(http.ApiKey().WorkspaceId, json, time.GetUtcNow(), http.RequestAborted);
        return Json(json);
    }

    private static async Task<IResult> ListRunsAsync(HttpContext http, ICdpStore store)
    {
        long? before = null;
        if (http.Request.Query["before"].ToString() is { Length: > 0 } text)
        {
            if (!long.TryParse(text, CultureInfo.InvariantCulture, out var id) || id < 1)
            {
                return Problems.BadRequest("\"before\" must be a run id.");
            }

            before = id;
        }

        var limit = 50;
        if (http.Request.Query["limit"].ToString() is { Length: > 0 } limitText &&
            (!int.TryParse(limitText, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxRunsPage))
        {
            return Problems.BadRequest($"\"limit\" must be a number from 1 to {MaxRunsPage}.");
        }

        var runs = await store.Analytics.ListRunsAsync(http.ApiKey().WorkspaceId, before, limit, http.RequestAborted);
        return ProfileJsonWriter.Answer(json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("runs");
            foreach (var run in runs)
            {
                WriteRun(json, run);
            }

            json.WriteEndArray();
            if (runs.Count == limit)
            {
                json.WriteNumber("next", runs[^1].Id);
            }
            else
            {
                json.WriteNull("next");
            }

            json.WriteEndObject();
        });
    }

    private static async Task<IResult> RequestRunAsync(HttpContext http, AnalyticsJob job)
    {
        var run = await job.RequestAsync(http.ApiKey().WorkspaceId, "api", http.RequestAborted);
        http.Response.Headers.Location = $"/api/analytics/runs/{run.Id.ToString(CultureInfo.InvariantCulture)}";
        return Json(Encoding.UTF8.GetString(ProfileJsonWriter.ToBytes(json => WriteRun(json, run))), StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> GetRunAsync(HttpContext http, string id, ICdpStore store)
    {
        if (!long.TryParse(id, CultureInfo.InvariantCulture, out var runId)
            || await store.Analytics.GetRunAsync(http.ApiKey().WorkspaceId, runId, http.RequestAborted) is not { } run)
        {
            return Problems.NotFound($"There is no analytics run {id} in this workspace.");
        }

        return ProfileJsonWriter.Answer(json => WriteRun(json, run));
    }

    private static async Task<IResult> GetSectionAsync(HttpContext http, string section, ICdpStore store)
    {
        if (!_sections.Contains(section))
        {
            return Problems.NotFound($"There is no analytics report part '{section}'; the parts are {string.Join(", ", _sections)}, and settings and runs.");
        }

        if (await store.Analytics.GetLatestRunAsync(http.ApiKey().WorkspaceId, AnalyticsRunStatus.Succeeded, http.RequestAborted) is not { Report: { } report } run)
        {
            return Problems.NotFound("No analytics run has succeeded in this workspace yet. POST /api/analytics/runs to start one; it runs once the pipeline has caught up.");
        }

        using var document = JsonDocument.Parse(report);
        return ProfileJsonWriter.Answer(json =>
        {
            json.WriteStartObject();
            json.WriteNumber("runId", run.Id);
            json.WriteString("asOf", run.AsOf?.UtcDateTime ?? run.RequestedAt.UtcDateTime);
            json.WritePropertyName(section);
            if (document.RootElement.TryGetProperty(section, out var part))
            {
                part.WriteTo(json);
            }
            else
            {
                json.WriteNullValue();
            }

            json.WriteEndObject();
        });
    }

    /// <summary>A run as the API shows it; the report is included when the run carries one.</summary>
    private static void WriteRun(Utf8JsonWriter json, AnalyticsRun run)
    {
        json.WriteStartObject();
        json.WriteNumber("id", run.Id);
        json.WriteString("status", run.Status.ToWire());
        json.WriteString("trigger", run.Trigger);
        json.WriteString("requestedAt", run.RequestedAt.UtcDateTime);
        ProfileJsonWriter.WriteTime(json, "startedAt", run.StartedAt);
        ProfileJsonWriter.WriteTime(json, "finishedAt", run.FinishedAt);
        ProfileJsonWriter.WriteTime(json, "asOf", run.AsOf);
        if (run.Position is { } position)
        {
            json.WriteNumber("position", position);
        }

        json.WriteNumber("profilesUpdated", run.ProfilesUpdated);
        if (run.Error is not null)
        {
            json.WriteString("error", run.Error);
        }

        if (run.Report is not null)
        {
            json.WritePropertyName("report");
            json.WriteRawValue(run.Report, skipInputValidation: true);
        }

        json.WriteEndObject();
    }

    private static IResult Json(string json, int status = StatusCodes.Status200OK) => Results.Text(json, "application/json", statusCode: status);
}
