using System.Text;
using BenchmarkDotNet.Attributes;
using Samlet.Ingestion;

namespace Samlet.Benchmarks.Ingestion;

/// <summary>
/// The CPU of the Tracking API's hot path without HTTP and storage: parsing a 20-event batch body, and parsing plus
/// normalising every event of it (what a request costs before the durable append).
/// </summary>
[Config(typeof(MicroConfig))]
[MemoryDiagnoser]
public class IngestionBenchmarks // not sealed: BenchmarkDotNet refuses sealed benchmark classes
{
    private static readonly DateTimeOffset _receivedAt = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private readonly EventNormalizer _normalizer = new(new IngestionLimits());
    private byte[] _batch = [];

    [GlobalSetup]
    public void Setup()
    {
        var events = Enumerable.Range(0, 20).Select(i => $$$"""
            {"type":"track","event":"Product Viewed","messageId":"3f1c2a9e-7b4d-4c8e-9a10-{{{i:D12}}}","anonymousId":"a-{{{i}}}","userId":"user_{{{i * 37}}}",
             "timestamp":"2026-11-25T11:59:{{{i % 60:D2}}}.123Z","context":{"ip":"203.0.113.9","userAgent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
             "page":{"path":"/p/running-shoe","url":"https://shop.example.com/p/running-shoe","referrer":"https://www.google.com/","title":"Trail running shoe"},
             "library":{"name":"analytics.js","version":"next-1.84.3"},"campaign":{"name":"autumn","source":"google","medium":"cpc"},"locale":"da-DK"},
             "properties":{"product_id":"p-123","sku":"SKU-123","name":"Trail running shoe","price":89.95,"category":"Shoes","brand":"Fjeld","currency":"EUR"}}
            """);
        _batch = Encoding.UTF8.GetBytes($$"""{"batch":[{{string.Join(',', events)}}],"sentAt":"2026-11-25T12:00:00.000Z"}""");
    }

    [Benchmark]
    public int Parse_a_20_event_batch()
    {
        using var payload = TrackingPayload.Parse(_batch, isBatch: true, out _)!;
        return payload.Items.Count;
    }

    [Benchmark]
    public int Parse_and_normalise_a_20_event_batch()
    {
        using var payload = TrackingPayload.Parse(_batch, isBatch: true, out _)!;
        var request = new IngestContext("src_0123456789abcdef", _receivedAt, "198.51.100.7");
        var bytes = 0;
        foreach (var item in payload.Items)
        {
            bytes += _normalizer.Normalize(item, payload.Envelope, null, request).Accepted!.Payload.Length;
        }

        return bytes;
    }
}
