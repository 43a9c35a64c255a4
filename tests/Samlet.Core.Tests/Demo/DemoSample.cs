using System.Text.Json;
using Samlet.Demo;

namespace Samlet.Core.Tests.Demo;

/// <summary>One generated year (600 customers, default seed) judged line by line, shared by the demo tests.</summary>
public sealed class DemoSample : IDisposable
{
    public DemoSample()
    {
        Shop = new DemoShop(new DemoOptions { Customers = 600 });
        foreach (var ev in Shop.Events())
        {
            var verdict = SegmentMessageRules.Check(ev.Line, Shop.Start, Shop.End, out var document, out var reason);
            Lines.Add(new SampleLine(ev, verdict, reason, document));
        }
    }

    private List<JsonElement>? _valid;

    public DemoShop Shop { get; }

    public List<SampleLine> Lines { get; } = [];

    /// <summary>Valid lines, retries removed (first line per messageId), as a pipeline sees them after dedup.</summary>
    public IReadOnlyList<JsonElement> Valid => _valid ??= Deduplicated();

    public IEnumerable<JsonElement> Tracks(string name) =>
        Valid.Where(e => SegmentMessageRules.String(e, "type") == "track" && SegmentMessageRules.String(e, "event") == name);

    private List<JsonElement> Deduplicated()
    {
        var seen = new HashSet<string>();
        return [.. Lines.Where(l => l.Verdict == LineVerdict.Valid).Select(l => l.Document!.RootElement)
            .Where(e => seen.Add(e.GetProperty("messageId").GetString()!))];
    }

    public void Dispose()
    {
        foreach (var line in Lines)
        {
            line.Document?.Dispose();
        }
    }
}

public sealed record SampleLine(DemoEvent Event, LineVerdict Verdict, string Reason, JsonDocument? Document);

[CollectionDefinition(Name)]
public sealed class DemoSampleCollection : ICollectionFixture<DemoSample>
{
    public const string Name = "demo sample";
}
