using Samlet.Ingestion;

namespace Samlet.Core.Tests.Ingestion;

public sealed class PayloadArenaTests
{
    [Fact]
    public void Keeps_every_payload_intact_across_blocks_until_disposed()
    {
        var random = new Random(7);
        using var arena = new PayloadArena();
        var sizes = Enumerable.Range(0, 3_000).Select(i => i % 1_000 == 999 ? 1_500_000 : random.Next(0, 4_000)).ToList();
        var payloads = sizes.Select((size, i) => Enumerable.Range(0, size).Select(j => (byte)(i + j)).ToArray()).ToList();

        var copies = payloads.Select(p => arena.Copy(p)).ToList(); // ~6 MB: several 1 MB blocks, and three larger payloads

        Assert.All(payloads.Zip(copies), pair => Assert.True(pair.First.AsSpan().SequenceEqual(pair.Second.Span)));
    }

    [Fact]
    public void A_disposed_arena_hands_out_fresh_memory_again()
    {
        var arena = new PayloadArena();
        arena.Copy("{\"a\":1}"u8);
        arena.Dispose();

        var second = arena.Copy("{\"b\":2}"u8);

        Assert.Equal("{\"b\":2}"u8.ToArray(), second.ToArray());
        arena.Dispose();
    }
}
