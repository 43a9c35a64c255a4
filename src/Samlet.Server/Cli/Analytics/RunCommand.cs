using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Samlet.Analytics.Runs;
using Samlet.Server.Hosting;
using Samlet.Storage;

namespace Samlet.Server.Cli.Analytics;

/// <summary>
/// <c>samlet analytics run</c>: the in-platform analytics job on a store, now (for a cron job, or a store no server
/// runs on). It takes the store's <c>analytics</c> lease, so it never runs beside a server's scheduler: with a server up,
/// ask it through <c>POST /api/analytics/runs</c>. When no server runs the pipeline either, it brings the profiles up to
/// date first and applies the predictions after. Exit codes: 0 succeeded, 1 failed or the lease is held, 2 bad usage.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var opening = new StoreOpening();
        var json = new Option<bool>("--json") { Description = "Print the run with its report as JSON." };
        var command = new Command("run", "Run the analytics job on a store now and write its predictions onto profiles (as the server's schedule does).") { json };
        opening.AddTo(command, withWorkspace: true);
        command.Action = new StoreCheckedAction(async (parse, cancellationToken) =>
        {
            opening.Check(parse);
            var (output, error) = (parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
            await using var store = await opening.OpenAsync(parse, cancellationToken);
            var workspaceId = await opening.WorkspaceAsync(parse, store, cancellationToken);
            await using var lease = await store.TryLeaseAsync("analytics", cancellationToken);
            if (lease is null)
            {
                await error.WriteLineAsync("A server runs this store's analytics jobs; ask it instead: POST /api/analytics/runs.");
                return StoreCheckedAction.Failed;
            }

            // Without a server, this process is the pipeline too: profiles first, then the predictions' events.
            await using var pipeline = await PartitionLeases.TakeAllAsync(store, cancellationToken);
            var worker = pipeline is null ? null : PipelineOptions.FromEnvironment().WorkerFor(store, TimeProvider.System);
            if (worker is not null)
            {
                await worker.CatchUpAsync(null, cancellationToken);
            }

            var job = new AnalyticsJob(store, TimeProvider.System);
            var run = await job.RunAsync(await job.RequestAsync(workspaceId, "cli", cancellationToken), cancellationToken);
            if (worker is not null)
            {
                await worker.CatchUpAsync(null, cancellationToken);
            }

            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    run.Id,
                    Status = run.Status.ToWire(),
                    run.StartedAt,
                    run.FinishedAt,
                    run.ProfilesUpdated,
                    run.Error,
                    Report = run.Report is null ? (JsonElement?)null : JsonDocument.Parse(run.Report).RootElement,
                }, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
            }
            else
            {
                await output.WriteLineAsync(Summary(run));
            }

            return run.Status == AnalyticsRunStatus.Succeeded ? 0 : StoreCheckedAction.Failed;
        });
        return command;
    }

    private static string Summary(AnalyticsRun run)
    {
        var seconds = ((run.FinishedAt ?? run.RequestedAt) - (run.StartedAt ?? run.RequestedAt)).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        if (run.Status != AnalyticsRunStatus.Succeeded || run.Report is null)
        {
            return $"Analytics run {run.Id} failed after {seconds} s: {run.Error}";
        }

        using var report = JsonDocument.Parse(run.Report);
        var root = report.RootElement;
        var data = root.GetProperty("data");
        var lines = new List<string>
        {
            $"Analytics run {run.Id} succeeded in {seconds} s: {data.GetProperty("customers").GetInt32():N0} customers, " +
            $"{data.GetProperty("orders").GetInt32():N0} orders, {data.GetProperty("profiles").GetInt32():N0} profiles; " +
            $"{run.ProfilesUpdated:N0} profiles get new predictions.",
        };
        if (root.GetProperty("rfm").TryGetProperty("segments", out var segments))
        {
            lines.Add("RFM: " + string.Join(", ", segments.EnumerateArray().Select(s => $"{s.GetProperty("segment").GetString()} {s.GetProperty("customers").GetInt32():N0}")));
        }

        if (root.GetProperty("lifetime").TryGetProperty("parameters", out var parameters))
        {
            lines.Add("Lifetime model: " + string.Join(", ", parameters.EnumerateArray().Select(p => $"{p.GetProperty("name").GetString()} = {p.GetProperty("value").GetDouble().ToString("0.###", CultureInfo.InvariantCulture)}")));
        }

        if (root.GetProperty("backtest").TryGetProperty("actual", out var actual))
        {
            lines.Add($"Back-test: {root.GetProperty("backtest").GetProperty("predicted").GetDouble().ToString("N0", CultureInfo.InvariantCulture)} repeat purchases predicted, {actual.GetInt64():N0} made");
        }

        lines.AddRange(root.GetProperty("warnings").EnumerateArray().Select(w => "Warning: " + w.GetString()));
        return string.Join(Environment.NewLine, lines);
    }
}
