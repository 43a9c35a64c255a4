namespace Samlet.Analytics.Lifetime;

/// <summary>Adds the accumulators of items [from, to) into <paramref name="sums"/> (which start at zero).</summary>
internal delegate void ChunkBody(int from, int to, Span<double> sums);

/// <summary>
/// Sums per-item accumulators over [0, count): in parallel chunks when there are many items, combined in chunk order
/// so that the result does not depend on thread scheduling.
/// </summary>
internal static class ChunkedSums
{
    private const int ParallelThreshold = 20_000;
    private const int Chunks = 32;

    public static void Run(int count, Span<double> sums, ChunkBody body)
    {
        sums.Clear();
        if (count < ParallelThreshold)
        {
            body(0, count, sums);
            return;
        }

        var width = sums.Length;
        var partial = new double[Chunks * width];
        Parallel.For(0, Chunks, k => body((int)((long)count * k / Chunks), (int)((long)count * (k + 1) / Chunks), partial.AsSpan(k * width, width)));
        for (var k = 0; k < Chunks; k++)
        {
            for (var j = 0; j < width; j++)
            {
                sums[j] += partial[(k * width) + j];
            }
        }
    }
}
