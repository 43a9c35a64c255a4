using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Samlet.Demo;
using Samlet.Identity;
using Samlet.Ingestion;

namespace Samlet.Benchmarks.Identity;

/// <summary>
/// The identity stage on the demo shop's events (1,000 customers, one year, ~118k events), normalised as the log stores
/// them and in log order. Extraction is measured after parsing each payload, as the worker does (the parse alone is the
/// baseline to subtract: a document parsed long ago is out of the CPU caches and would measure memory latency instead);
/// resolution resolves and applies every event to an in-memory snapshot of the whole graph (<c>samlet rebuild</c> minus
/// storage). Per event: divide by the event count printed at setup. Not sealed: BenchmarkDotNet derives from it.
/// </summary>
[MemoryDiagnoser]
public class IdentityBenchmarks
{
    private byte[][] _payloads = [];
    private EventIdentifiers[] _identifiers = [];
    private IdentifierExtractor _extractor = null!;
    private IdentityResolver _resolver = null!;

    [GlobalSetup]
    public void Setup()
    {
        var normalizer = new EventNormalizer(new IngestionLimits());
        var payloads = new List<byte[]>();
        foreach (var demo in new DemoShop(new DemoOptions { Customers = 1_000 }).Events())
        {
            try
            {
                using var line = JsonDocument.Parse(demo.Line);
                var result = normalizer.Normalize(line.RootElement, default, null, new IngestContext("src_demo", demo.Timestamp, "203.0.113.7", MissingMessageIds.ContentHash));
                if (result.Accepted is { } accepted)
                {
                    payloads.Add(accepted.Payload.ToArray());
                }
            }
            catch (JsonException)
            {
                // the demo's deliberately truncated lines
            }
        }

        _payloads = [.. payloads];
        _extractor = new IdentifierExtractor(IdentityRuleSet.Default);
        _resolver = new IdentityResolver(IdentityRuleSet.Default);
        _identifiers = new EventIdentifiers[_payloads.Length];
        for (var i = 0; i < _payloads.Length; i++)
        {
            using var document = JsonDocument.Parse(_payloads[i]);
            _identifiers[i] = _extractor.Extract(document.RootElement);
        }

        Console.WriteLine($"// {_payloads.Length} events");
    }

    [Benchmark(Baseline = true)]
    public int Parse_payloads()
    {
        var count = 0;
        foreach (var payload in _payloads)
        {
            using var document = JsonDocument.Parse(payload);
            count += document.RootElement.ValueKind == JsonValueKind.Object ? 1 : 0;
        }

        return count;
    }

    [Benchmark]
    public int Parse_payloads_and_extract_identifiers()
    {
        var count = 0;
        foreach (var payload in _payloads)
        {
            using var document = JsonDocument.Parse(payload);
            count += _extractor.Extract(document.RootElement).Identifiers.Count;
        }

        return count;
    }

    [Benchmark]
    public int Resolve_and_apply_in_log_order()
    {
        var snapshot = new IdentitySnapshot();
        var next = 0;
        string NewId() => "prf_" + (++next);
        foreach (var identifiers in _identifiers)
        {
            snapshot.Apply(_resolver.Resolve(snapshot, identifiers, NewId));
        }

        return snapshot.ProfileCount;
    }
}
