using Microsoft.Extensions.Options;
using Samlet.Analytics.Runs;
using Samlet.Events;
using Samlet.Ingestion;
using Samlet.Pipeline;
using Samlet.Server.Admin;
using Samlet.Server.Analytics;
using Samlet.Server.Audiences;
using Samlet.Server.EventApi;
using Samlet.Server.Profiles;
using Samlet.Server.Tracking;
using Samlet.Storage;

namespace Samlet.Server.Hosting;

/// <summary>Builds the one-process Samlet server: the store, the Tracking API, the admin and read APIs, the Profile APIs, health checks.</summary>
internal static class SamletApp
{
    public static async Task<(WebApplication App, FirstStartKeys? Keys)> BuildAsync(ServeSettings settings, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.AddEnvironmentVariables("SAMLET__");
        builder.Configuration.AddInMemoryCollection(settings.Configuration ?? new Dictionary<string, string?>());
        builder.WebHost.UseUrls(settings.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        // One line per request at Information would cost more than storing the event; keep framework logs to warnings.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var ingestion = builder.Configuration.GetSection(IngestionOptions.Section).Get<IngestionOptions>() ?? new IngestionOptions();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = ingestion.MaxBodyBytes);

        time ??= TimeProvider.System;
        var store = await StoreLocation.FromConfiguration(builder.Configuration, settings.DataDirectory).OpenAsync(cancellationToken);
        await store.MigrateAsync(cancellationToken);
        var keys = await FirstStart.EnsureWorkspaceAsync(store, settings, time, cancellationToken);

        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton<ICdpStore>(_ => store); // a factory, so the container disposes it (after the committer)
        builder.Services.AddSingleton<EventLogSignal>();
        builder.Services.AddSingleton(sp => new GroupCommitter(store.Events, sp.GetRequiredService<EventLogSignal>()));
        builder.Services.AddOptions<PipelineOptions>().BindConfiguration(PipelineOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var pipeline = builder.Configuration.GetSection(PipelineOptions.Section).Get<PipelineOptions>() ?? new PipelineOptions();
        builder.Services.AddSingleton(_ => pipeline.WorkerFor(store, time));
        var roles = ServerRoles.Parse(builder.Configuration[ServerRoles.Key]);
        var runsPipeline = roles.Pipeline && pipeline.Enabled;
        if (runsPipeline)
        {
            builder.Services.AddSingleton<PipelineHost>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<PipelineHost>());
        }

        builder.Services.AddOptions<AnalyticsOptions>().BindConfiguration(AnalyticsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(_ => new AnalyticsJob(store, time));
        if (roles.Pipeline && (builder.Configuration.GetSection(AnalyticsOptions.Section).Get<AnalyticsOptions>() ?? new AnalyticsOptions()).Enabled)
        {
            builder.Services.AddSingleton<AnalyticsHost>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<AnalyticsHost>());
        }

        builder.Services.AddSingleton(_ => new ProfileReader(store));
        builder.Services.AddSingleton(_ => new Audiences.PreviewSnapshots(store, time, waitBelow: 50_000, freshFor: TimeSpan.FromSeconds(pipeline.PreviewFreshSeconds)));
        builder.Services.AddSingleton<KeyDirectory>();
        builder.Services.AddSingleton(sp => new ClientAddress(sp.GetRequiredService<IOptions<IngestionOptions>>().Value.TrustedProxies));
        builder.Services.AddSingleton<TrackingHandler>();
        builder.Services.AddProblemDetails();
        builder.Services.AddCors(cors => cors.AddPolicy(TrackingEndpoints.CorsPolicy, policy => policy
            .SetIsOriginAllowed(_ => true)
            .AllowCredentials()
            .AllowAnyHeader()
            .WithMethods("GET", "POST", "OPTIONS", "HEAD")
            .SetPreflightMaxAge(TimeSpan.FromSeconds(900))));

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCors();
        if (roles.Ingest)
        {
            app.MapTracking(ingestion.CeilingEndpoint);
            _ = app.Services.GetRequiredService<GroupCommitter>(); // now, so that its warm-up starts before the first request
        }

        app.MapGet("/healthz", () => Results.Ok(new { status = "live" }));
        app.MapGet("/readyz", async (ICdpStore s, PipelineWorker worker, IServiceProvider services, CancellationToken ct) =>
        {
            if (!await s.IsReachableAsync(ct))
            {
                return Results.Json(new { status = "store unreachable" }, statusCode: 503);
            }

            var lag = await worker.GetLagAsync(ct);
            var partitions = services.GetService<PipelineHost>()?.Partitions.Order().ToArray() ?? [];
            var analytics = services.GetService<AnalyticsHost>();
            return Results.Ok(new
            {
                status = "ready",
                roles = roles.ToString(),
                pipeline = new { enabled = runsPipeline, partitions, position = lag.Position, eventsBehind = lag.EventsBehind, secondsBehind = Math.Round(lag.SecondsBehind, 3) },
                analytics = new { enabled = analytics is not null, leader = analytics?.IsLeader ?? false },
            });
        });
        if (roles.Ui)
        {
            var api = app.MapGroup("/api").RequireApiKey();
            api.MapSources();
            api.MapEvents();
            api.MapIdentityRules();
            api.MapProfiles();
            api.MapDefinitions();
            api.MapAudienceReads();
            api.MapAnalytics();
            app.MapSegmentProfiles();
        }

        return (app, keys);
    }
}
