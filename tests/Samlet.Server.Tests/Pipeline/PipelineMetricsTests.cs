using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Samlet.Server.Tests.Pipeline;

/// <summary>The pipeline's instruments (meter <c>Samlet.Pipeline</c>), as <c>dotnet-counters</c> or an OpenTelemetry exporter reads them.</summary>
public sealed class PipelineMetricsTests : IAsyncLifetime
{
    private readonly SamletServer _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task The_pipeline_publishes_its_lag_and_where_its_time_went()
    {
        var response = await _server.PostAsync("/v1/batch", """
            {"batch":[{"type":"identify","userId":"u1","traits":{"plan":"pro"}},{"type":"track","userId":"u1","event":"Order Completed"}]}
            """);
        Assert.True(response.IsSuccessStatusCode);
        await _server.WaitForPipelineAsync();

        var measured = Measure();
        Assert.Equal(0, measured["samlet.pipeline.lag.events"]);
        Assert.Equal(0, measured["samlet.pipeline.lag.seconds"]);
        Assert.Equal(["commit", "decide", "parse", "read", "wait"], measured.Keys.Where(k => k.StartsWith("time:", StringComparison.Ordinal)).Select(k => k[5..]).Order());
        foreach (var phase in new[] { "read", "parse", "decide", "commit" })
        {
            Assert.True(measured["time:" + phase] > 0, $"No time spent in {phase}.");
        }

        // A counter: it only grows.
        var before = measured["time:read"];
        await _server.PostAsync("/v1/batch", """{"batch":[{"type":"track","userId":"u1","event":"Product Viewed"}]}""");
        await _server.WaitForPipelineAsync();
        Assert.True(Measure()["time:read"] > before);
    }

    // This server's instruments only: several servers run in the test process, each with its own meter factory.
    private Dictionary<string, double> Measure()
    {
        var scope = _server.Services.GetRequiredService<IMeterFactory>();
        var measured = new Dictionary<string, double>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Samlet.Pipeline" && instrument.Meter.Scope == scope)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
            measured[tags.IsEmpty ? instrument.Name : $"time:{tags[0].Value}"] = value;
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
        listener.RecordObservableInstruments();
        return measured;
    }
}
